// Links marked data-back go back in history (the form keeps what was typed); without script they open their href.
for (const a of document.querySelectorAll('a[data-back]')) {
  a.addEventListener('click', e => {
    if (history.length > 1) { e.preventDefault(); history.back(); }
  });
}
