// Reloads the page after data-after-ms milliseconds (the tasks list while a task runs).
(() => {
  const ms = Number(document.currentScript.dataset.afterMs) || 1000;
  setTimeout(() => location.reload(), ms);
})();
