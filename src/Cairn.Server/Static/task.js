// Task page: polls the task and its log every 500 ms until the task ends; Cancel asks the server to stop it.
(() => {
  // The task's id and status at page load come as data attributes of this script element (no inline script: CSP).
  const me = document.currentScript.dataset;
  const t = { id: Number(me.taskId), status: me.taskStatus };
  const final = s => s === 'succeeded' || s === 'failed' || s === 'cancelled';
  const log = document.getElementById('task-log');
  let after = 0;
  let timer = null;
  async function poll() {
    try {
      const [tr, lr] = await Promise.all([fetch(`/api/v1/tasks/${t.id}`), fetch(`/api/v1/tasks/${t.id}/log?after=${after}`)]);
      const d = (await tr.json()).task;
      const lines = await lr.json();
      for (const l of lines) {
        after = l.id;
        const line = document.createElement('div');
        line.className = 'log-' + l.level;
        line.textContent = `${l.time.substring(11, 19)} ${l.level.padEnd(7)} ${l.message}`;
        log.appendChild(line);
      }
      if (lines.length) log.scrollTop = log.scrollHeight;
      const st = document.getElementById('task-status');
      st.textContent = d.status; st.className = 'status ' + d.status;
      const pct = (Math.min(1, Math.max(0, d.progress)) * 100).toFixed(1);
      document.querySelector('#task-progress rect.bar').setAttribute('width', pct + '%');
      document.getElementById('task-progress').setAttribute('aria-valuenow', pct);
      document.getElementById('task-message').textContent = d.progressMessage || '';
      document.getElementById('task-error').textContent = d.error || '';
      if (final(d.status)) {
        document.getElementById('cancel').hidden = true;
        clearInterval(timer);
        // Reload once so the outputs and result written at the end are listed.
        if (!final(t.status)) setTimeout(() => location.reload(), 300);
      }
    } catch (e) { /* server restarting: keep polling */ }
  }
  document.getElementById('cancel').addEventListener('click', async () => {
    await fetch(`/api/v1/tasks/${t.id}/cancel`, { method: 'POST' });
    poll();
  });
  poll();
  if (!final(t.status)) timer = setInterval(poll, 500);
})();
