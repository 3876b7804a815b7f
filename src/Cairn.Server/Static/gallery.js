// Shows or hides the labels drawn over the gallery's thumbnails; the choice is kept in localStorage, so it holds on
// every gallery (working state, dataset, version) and across visits.
(() => {
  const toggle = document.getElementById('overlay-toggle');
  const gallery = document.getElementById('gallery');
  if (!toggle) return;
  const key = 'cairn.gallery.overlays';
  let stored = null;
  try { stored = window.localStorage.getItem(key); } catch { /* storage blocked: the default holds */ }
  const apply = on => {
    toggle.checked = on;
    if (gallery) gallery.classList.toggle('overlays-off', !on);
  };
  apply(stored !== 'off');
  toggle.addEventListener('change', () => {
    apply(toggle.checked);
    try { window.localStorage.setItem(key, toggle.checked ? 'on' : 'off'); } catch { /* not remembered */ }
  });
})();
