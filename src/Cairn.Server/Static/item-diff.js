// Item diff: hovering a change (a row of the list or a shape on either side) highlights it on both sides.
(() => {
  const root = document.getElementById('item-diff');
  const table = document.getElementById('label-changes');
  if (!root) return;
  const set = (i, on) => {
    document.querySelectorAll(`[data-change="${i}"]`).forEach(e => e.classList.toggle('hl', on));
  };
  for (const el of [...root.querySelectorAll('g.label'), ...(table ? table.querySelectorAll('tr[data-change]') : [])]) {
    el.addEventListener('mouseenter', () => set(el.dataset.change, true));
    el.addEventListener('mouseleave', () => set(el.dataset.change, false));
  }
})();
