// Highlights a label on the image when its entry in the list is hovered, and the other way round.
(() => {
  const svg = document.getElementById('item-svg');
  const list = document.getElementById('label-list');
  if (!svg || !list) return;
  const set = (i, on) => {
    svg.querySelectorAll(`g.label[data-index="${i}"]`).forEach(g => g.classList.toggle('hl', on));
    list.querySelectorAll(`li[data-index="${i}"]`).forEach(li => li.classList.toggle('hl', on));
  };
  for (const el of [...svg.querySelectorAll('g.label'), ...list.querySelectorAll('li')]) {
    el.addEventListener('mouseenter', () => set(el.dataset.index, true));
    el.addEventListener('mouseleave', () => set(el.dataset.index, false));
  }
})();
