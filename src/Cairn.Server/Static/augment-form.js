// The augment form's step editor: a list of steps (add from the catalog, move up and down, remove), each step's
// parameters as labelled inputs with their ranges, and a live preview on one image of the project. The pipeline JSON
// field (under "Advanced") is what the form posts; the editor writes it on every change and reads it back when it is
// edited by hand. A message from the server that names a step's parameter (data-field "pipeline.steps[1].p") is moved
// beside that parameter's input. Every element is built with the DOM, every text set as textContent.
(() => {
  const root = document.getElementById('aug-editor');
  if (!root) return;
  const catalog = JSON.parse(root.dataset.catalog);
  const byOp = new Map(catalog.map(o => [o.op, o]));
  const json = document.getElementById('aug-json');
  const list = document.getElementById('aug-steps');
  const seed = document.getElementById('aug-seed');
  const outputs = document.getElementById('aug-outputs');
  const addOp = document.getElementById('aug-add-op');
  const img = document.getElementById('aug-preview');
  const status = document.getElementById('aug-preview-status');
  const variant = document.getElementById('aug-preview-index');
  const sample = document.getElementById('aug-preview-item');
  const form = root.closest('form');
  let doc = {};
  let steps = [];
  let pendingError = null;

  const html = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const labelOf = s => (byOp.get(s.op) || { label: s.op }).label;
  // A typed number stays a number; what is not one is posted as typed, so the server names it rather than the form
  // dropping it.
  const num = v => (v.trim() === '' ? null : (Number.isFinite(Number(v)) ? Number(v) : v));

  for (const o of catalog) addOp.append(html('option', { value: o.op }, o.label));

  function read() {
    try {
      doc = JSON.parse(json.value);
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
    } catch {
      return false;
    }
    steps = Array.isArray(doc.steps) ? doc.steps.filter(s => s && typeof s === 'object') : [];
    seed.value = doc.seed ?? 0;
    outputs.value = doc.outputsPerImage ?? 1;
    return true;
  }

  function write() {
    doc.version = doc.version ?? 1;
    doc.seed = num(seed.value) ?? 0;
    doc.outputsPerImage = num(outputs.value) ?? 1;
    doc.steps = steps;
    json.value = JSON.stringify(doc);
    preview();
  }

  function field(label, input, hint) {
    const l = html('label', { class: 'aug-param' });
    l.append(html('span', {}, label), input);
    if (hint) l.append(html('small', { class: 'muted' }, hint));
    return l;
  }

  function numberInput(i, name, value, p, part) {
    const input = html('input', { type: 'number', min: p.min, max: p.max, step: p.step, 'data-path': `steps[${i}].${name}`, 'data-part': part });
    input.value = value ?? '';
    input.addEventListener('input', () => {
      const s = steps[i];
      if (part === 'from' || part === 'to') {
        const base = s[name] ?? p.default;
        const cur = Array.isArray(base) ? base.slice() : [base, base];
        cur[part === 'from' ? 0 : 1] = num(input.value);
        s[name] = cur[0] === cur[1] ? cur[0] : cur;
      } else {
        const v = num(input.value);
        if (v === null) delete s[name]; else s[name] = v;
      }
      write();
    });
    return input;
  }

  function stepElement(s, i) {
    const op = byOp.get(s.op);
    const li = html('li', { class: 'aug-step', 'data-op': s.op, 'data-index': i });
    const head = html('div', { class: 'aug-step-head' });
    head.append(html('span', { class: 'aug-step-title' }, `${i + 1}. ${labelOf(s)}`));
    const tools = html('span', { class: 'aug-step-tools' });
    const button = (cls, text, aria, disabled, act) => {
      const b = html('button', { type: 'button', class: `secondary ${cls}`, 'aria-label': aria }, text);
      if (disabled) b.disabled = true;
      b.addEventListener('click', () => act(b));
      return b;
    };
    tools.append(
      button('aug-up', '↑ Up', `Move step ${i + 1} (${labelOf(s)}) up`, i === 0, () => move(i, -1, 'aug-up')),
      button('aug-down', '↓ Down', `Move step ${i + 1} (${labelOf(s)}) down`, i === steps.length - 1, () => move(i, 1, 'aug-down')),
      button('aug-remove danger', 'Remove', `Remove step ${i + 1} (${labelOf(s)})`, false, () => remove(i)));
    head.append(tools);
    li.append(head);
    const params = html('div', { class: 'aug-params' });
    params.append(field('Probability', numberInput(i, 'p', s.p ?? 1, { min: 0, max: 1, step: 0.05, default: 1 }, null), '0–1'));
    for (const p of op ? op.params : []) {
      const value = s[p.name] ?? p.default;
      if (p.kind === 'bool') {
        const box = html('input', { type: 'checkbox', 'data-path': `steps[${i}].${p.name}` });
        box.checked = !!value;
        box.addEventListener('change', () => { s[p.name] = box.checked; write(); });
        params.append(field(p.label, box));
      } else if (p.kind === 'range') {
        const [lo, hi] = Array.isArray(value) ? value : [value, value];
        const pair = html('span', { class: 'aug-range' });
        pair.append(numberInput(i, p.name, lo, p, 'from'), html('span', {}, ' to '), numberInput(i, p.name, hi, p, 'to'));
        params.append(field(`${p.label} from`, pair, `${p.min}–${p.max}; equal ends: fixed`));
      } else {
        params.append(field(p.label, numberInput(i, p.name, value, p, null), `${p.min}–${p.max}`));
      }
    }
    // Members the catalog does not know (hand-written JSON) are kept as they are; the Advanced view shows them.
    li.append(params);
    return li;
  }

  function render(focus) {
    list.replaceChildren(...steps.map(stepElement));
    if (steps.length === 0) list.append(html('li', { class: 'empty muted' }, 'No steps yet: add one below.'));
    if (focus) {
      const li = list.children[focus.index];
      const b = li && (li.querySelector(`.${focus.cls}:not([disabled])`) || li.querySelector('button:not([disabled])'));
      if (b) b.focus();
    }
    placeError();
  }

  function move(i, d, cls) {
    const j = i + d;
    if (j < 0 || j >= steps.length) return;
    [steps[i], steps[j]] = [steps[j], steps[i]];
    render({ index: j, cls });
    write();
  }
  function remove(i) {
    steps.splice(i, 1);
    render({ index: Math.min(i, steps.length - 1), cls: 'aug-remove' });
    if (steps.length === 0) addOp.focus();
    write();
  }
  document.getElementById('aug-add').addEventListener('click', () => {
    const o = byOp.get(addOp.value);
    const s = { op: o.op, p: 1 };
    for (const p of o.params) s[p.name] = p.default;
    steps.push(s);
    render();
    write();
  });
  seed.addEventListener('input', write);
  outputs.addEventListener('input', write);
  json.addEventListener('change', () => { if (read()) { render(); preview(); } });
  variant.addEventListener('input', preview);
  // The sample picker: the project's first 100 images by name (the preview endpoint takes any item of the project).
  if (sample) {
    sample.addEventListener('change', preview);
    fetch(`/api/v1/projects/${root.dataset.projectId}/items?take=100`, { headers: { Accept: 'application/json' } })
      .then(r => r.ok ? r.json() : [])
      .then(items => { for (const it of items) sample.append(html('option', { value: String(it.id) }, it.name)); })
      .catch(() => {});
  }

  // The server's message for a parameter of the pipeline goes beside that parameter's input (and stays there until
  // the steps are rebuilt by hand).
  function placeError() {
    const e = pendingError || form.querySelector('.field-error[data-field^="pipeline."]');
    if (!e) return;
    pendingError = e;
    const path = e.dataset.field.slice('pipeline.'.length);
    const input = root.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!input) return;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', e.id);
    const label = input.closest('label');
    label.after(e);
    label.closest('.aug-step')?.classList.add('invalid');
  }

  // Preview: the server applies the pipeline to the project's first image (GET, so the image element loads it); a
  // refused pipeline shows the server's words instead.
  let timer = null, serial = 0;
  function preview() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const n = ++serial;
      const shown = json.value, count = steps.length, index = variant.value || 0;
      const picked = sample && sample.value ? sample.options[sample.selectedIndex].textContent : 'first image';
      const item = sample && sample.value ? `&item=${encodeURIComponent(sample.value)}` : '';
      const url = `/api/v1/projects/${root.dataset.projectId}/augment-preview?index=${encodeURIComponent(index)}${item}&pipeline=${encodeURIComponent(json.value)}`;
      img.dataset.state = 'loading';
      status.textContent = 'Preview: working…';
      img.onload = () => { if (n !== serial) return; img.dataset.state = 'ready'; img.dataset.serial = String(n); img.dataset.pipeline = shown; img.dataset.item = sample ? sample.value : ''; status.textContent = `Preview: ${count} step${count === 1 ? '' : 's'}, ${picked}, variant ${index}`; };
      img.onerror = async () => {
        if (n !== serial) return;
        img.dataset.state = 'error';
        try {
          const r = await fetch(url);
          const p = await r.json();
          status.textContent = 'Preview: ' + (p.detail || p.title || r.status);
        } catch {
          status.textContent = 'Preview: not available';
        }
      };
      img.src = url;
    }, 200);
  }

  if (!read()) {
    // Hand-written JSON the editor cannot read: leave the Advanced view open with it.
    root.querySelector('details.aug-advanced').open = true;
    status.textContent = 'The pipeline JSON is not valid: see Advanced.';
    placeError();
    return;
  }
  render();
  if (form.querySelector('.field-error[data-field="pipeline"]')) root.querySelector('details.aug-advanced').open = true;
  preview();
})();
