// The upload control (Pages/UploadForm.cs): files, a folder or an archive, dropped or chosen, go to /api/v1/uploads in
// chunks, each with its SHA-256 (crypto.subtle), which the server checks. The session id is kept in localStorage under
// a key made of the files' names, sizes and dates, so choosing the same files again after a reload or a network error
// asks the server which chunks it has and sends only the rest. Once all are there, the import task starts and its page
// opens. The DOM is built with textContent only.
(() => {
  const form = document.getElementById('upload-form');
  if (!form) return;
  const drop = document.getElementById('upload-drop');
  const filesInput = document.getElementById('upload-files');
  const folderInput = document.getElementById('upload-folder');
  const chosenText = document.getElementById('upload-chosen');
  const progress = document.getElementById('upload-progress');
  const status = document.getElementById('upload-status');
  const errorText = document.getElementById('upload-error');
  const format = document.getElementById('upload-format');
  const projectInput = document.getElementById('upload-project');
  const datasetInput = document.getElementById('upload-dataset');
  const annotationsInput = document.getElementById('upload-annotations');
  const start = document.getElementById('upload-start');
  // getAttribute, not form.dataset: a form's named controls shadow its properties, and one is named "dataset".
  const existing = form.getAttribute('data-existing') === 'true';
  let chosen = []; // [{ path, file }]

  const archive = name => /\.(zip|tar|tgz|tar\.gz)$/i.test(name);

  function setChosen(list) {
    chosen = list.filter(x => !/(^|\/)(\.DS_Store|Thumbs\.db)$/.test(x.path));
    const bytes = chosen.reduce((n, x) => n + x.file.size, 0);
    chosenText.textContent = chosen.length === 0 ? 'Nothing chosen yet.'
      : `${chosen.length} file${chosen.length === 1 ? '' : 's'}, ${(bytes / 1048576).toFixed(1)} MiB` + (chosen.length === 1 ? `: ${chosen[0].path}` : '');
    if (projectInput && !projectInput.value && chosen.length > 0) {
      const first = chosen[0].path;
      projectInput.value = (first.includes('/') ? first.split('/')[0] : first.replace(/\.(zip|tar|tgz|tar\.gz)$/i, '')).replace(/\.[^.]*$/, '') || 'upload';
    }
    if (chosen.length === 1 && archive(chosen[0].path) && format.value === 'images') status.textContent = 'An archive: choose its format.';
  }

  filesInput.addEventListener('change', () => setChosen([...filesInput.files].map(f => ({ path: f.name, file: f }))));
  folderInput.addEventListener('change', () => setChosen([...folderInput.files].map(f => ({ path: f.webkitRelativePath || f.name, file: f }))));

  // Dropped folders arrive as directory entries: walk them (readEntries answers in batches until it returns none).
  async function walk(entry, prefix, out) {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, prefix + entry.name + '/', out);
      }
    }
  }

  for (const name of ['dragenter', 'dragover']) {
    drop.addEventListener(name, e => { e.preventDefault(); drop.classList.add('over'); });
  }
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async e => {
    e.preventDefault();
    drop.classList.remove('over');
    const entries = [...e.dataTransfer.items].map(i => i.webkitGetAsEntry ? i.webkitGetAsEntry() : null);
    if (entries.every(x => x)) {
      const out = [];
      for (const entry of entries) await walk(entry, '', out);
      setChosen(out);
    } else {
      setChosen([...e.dataTransfer.files].map(f => ({ path: f.name, file: f })));
    }
  });

  function fail(message) {
    errorText.textContent = message;
    status.textContent = '';
    start.disabled = false;
  }

  async function problem(r) {
    try {
      const p = await r.json();
      return p.detail || p.title || `HTTP ${r.status}`;
    } catch {
      return `HTTP ${r.status}`;
    }
  }

  const hex = buf => [...new Uint8Array(buf)].map(b => b.toString(16).padStart(2, '0')).join('');

  async function sendChunk(id, f, n, blob) {
    const sha = hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fetch(`/api/v1/uploads/${id}/files/${f}/chunks/${n}`, {
          method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-chunk-sha256': sha }, body: blob,
        });
        if (r.ok) return;
        if (r.status < 500 && r.status !== 422) throw new Error(await problem(r));
        if (attempt >= 4) throw new Error(await problem(r));
      } catch (e) {
        if (!(e instanceof TypeError) || attempt >= 4) throw e; // TypeError: the network failed; try again
      }
      status.textContent = `Retrying chunk ${n + 1} of ${chosen[f].path}…`;
      await new Promise(ok => setTimeout(ok, 500 * 2 ** attempt));
    }
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    errorText.textContent = '';
    if (chosen.length === 0) return fail('Choose or drop files, a folder or an archive first.');
    if (!window.crypto || !crypto.subtle) return fail('This page needs a secure context (https, or http on localhost) to checksum the upload.');
    const project = existing ? form.getAttribute('data-project') : projectInput.value.trim();
    if (!project) return fail('project: give the new project a name.');
    start.disabled = true;
    progress.hidden = false;
    const total = chosen.reduce((n, x) => n + x.file.size, 0) || 1;
    const key = 'cairn.upload:' + chosen.map(x => `${x.path}:${x.file.size}:${x.file.lastModified}`).join('|');
    try {
      let session = null;
      const known = localStorage.getItem(key);
      if (known) {
        const r = await fetch(`/api/v1/uploads/${known}`);
        if (r.ok) session = await r.json();
        if (session && session.taskId) session = null;
      }
      if (!session) {
        const r = await fetch('/api/v1/uploads', {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ files: chosen.map(x => ({ path: x.path, size: x.file.size })) }),
        });
        if (!r.ok) return fail(await problem(r));
        session = await r.json();
        localStorage.setItem(key, session.id);
      } else {
        status.textContent = 'Resuming an earlier upload of these files…';
      }
      let done = 0;
      for (let f = 0; f < session.files.length; f++) {
        const have = new Set(session.files[f].received);
        for (let n = 0; n < session.files[f].chunks; n++) {
          const from = n * session.chunkSize;
          const blob = chosen[f].file.slice(from, Math.min(from + session.chunkSize, chosen[f].file.size));
          if (!have.has(n)) {
            status.textContent = `Uploading ${chosen[f].path}…`;
            await sendChunk(session.id, f, n, blob);
          }
          done += blob.size;
          progress.value = done / total;
          progress.setAttribute('data-done', String(done));
        }
      }
      status.textContent = 'Uploaded; starting the import…';
      const body = { format: format.value, project, existing };
      if (datasetInput && datasetInput.value.trim()) body.dataset = datasetInput.value.trim();
      if (annotationsInput && annotationsInput.value.trim()) body.annotations = annotationsInput.value.trim();
      const r = await fetch(`/api/v1/uploads/${session.id}/import`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      if (!r.ok) return fail(await problem(r));
      const started = await r.json();
      localStorage.removeItem(key);
      location.assign(started.taskUrl);
    } catch (err) {
      fail(`${err.message}. Choose the same files again to resume: the chunks already sent are kept.`);
    }
  });
})();
