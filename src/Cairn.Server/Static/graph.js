// Workflow graph page: fetches the graph JSON, lays it out left-to-right (graph-layout.js: dagre per connected component), draws SVG, pans and zooms,
// filters node kinds, searches, folds file outputs into folder nodes that expand on click; clicking a node opens its page.
// Node cards carry the title, a subtitle and the description (each cut to the card's width by measure, the full text in
// the tooltip); the node the page was opened for (?project=, ?task=, ?focus=) is marked "focused" and centred.
(() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 210, H = 62;
  // Fit never goes below the zoom at which the smallest card text (11 px) is 11 px on screen, while the graph at that
  // zoom is at most READABLE_SCREENS screens: the drawing then scrolls instead. A larger graph (hundreds of nodes) fits
  // whole as an overview of coloured boxes, which is what it is good for.
  const MIN_TEXT = 11, SMALLEST_FONT = 11, READABLE_SCREENS = 8;
  const svg = document.getElementById('graph-svg');
  const scroller = document.getElementById('graph-scroll');
  const info = document.getElementById('graph-info');
  const panel = document.getElementById('node-panel');
  const state = { graph: null, expanded: new Set(), hidden: new Set(), scale: 1, tx: 20, ty: 20, layout: null, editing: false };
  const focusId = (() => {
    const q = new URLSearchParams(location.search);
    return q.get('project') ? `project:${q.get('project')}` : q.get('task') ? `task:${q.get('task')}` : q.get('focus');
  })();
  const EDITABLE = ['task', 'project', 'version', 'model'];
  // Every element is built with the DOM and every text set as textContent: no user string is ever parsed as markup,
  // and colours go through the style object (CSSOM), which the page's Content-Security-Policy allows.
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const html = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // A node's link comes from its node record, which a custom application may set: only this site's paths and http(s)
  // addresses are followed, never javascript: or data: URLs.
  const safeLink = link => typeof link === 'string' && /^(\/(?!\/)|https?:\/\/)/i.test(link) ? link : null;

  function visible() {
    const g = state.graph;
    const nodes = g.nodes.filter(n => !state.hidden.has(n.kind) && (!n.parent || state.expanded.has(n.parent)));
    const ids = new Set(nodes.map(n => n.id));
    const edges = g.edges.filter(e => ids.has(e.from) && ids.has(e.to));
    return { nodes, edges };
  }

  function layout(v) {
    return cairnLayout(v.nodes.map(n => n.id), v.edges.map(e => [e.from, e.to]), W, H, state.gv);
  }

  // Graphviz (WebAssembly) is loaded by a module script on the page; null when it could not load (dagre then).
  function graphviz() {
    if (window.cairnGraphviz !== undefined) return Promise.resolve(window.cairnGraphviz);
    return new Promise(resolve => window.addEventListener('cairn-graphviz', () => resolve(window.cairnGraphviz), { once: true }));
  }

  // Level of detail: below this zoom a node's text is too small to read, so nodes are drawn as one coloured box each
  // (a seventh of the elements), which is what lets a 2,000-node workspace draw and answer its first zoom quickly.
  // Crossing the threshold while zooming redraws the nodes (not the layout) in the other detail.
  const DETAIL = 0.3;
  function nodeElement(n, p, full) {
    const x = p.x - W / 2, y = p.y - H / 2;
    const g = el('g', { class: `node ${n.kind}${n.status ? ' ' + n.status : ''}${n.id === focusId ? ' focused' : ''}`, 'data-id': n.id, 'data-kind': n.kind, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})` });
    const color = String(n.color ?? '');
    if (!full) {
      const r = el('rect', { class: 'lod', width: W, height: H, rx: 7 });
      r.style.stroke = color; r.style.fill = color;
      g.append(r);
      return g;
    }
    const folded = n.kind === 'folder' ? (state.expanded.has(n.id) ? ' ▾' : ' ▸') : '';
    const sub = n.kind === 'task' ? `${n.subtitle} · ${n.status}` : (n.subtitle || n.kind);
    const box = el('rect', { width: W, height: H, rx: 7 });
    box.style.stroke = color;
    const bar = el('rect', { class: 'bar', width: 6, height: H, rx: 3 });
    bar.style.fill = color;
    const icon = el('text', { class: 'icon', x: 16, y: 30 }, String(n.icon ?? ''));
    icon.style.fill = color;
    const title = el('text', { class: 'title', x: 34, y: 20, 'data-max': W - 34 - (EDITABLE.includes(n.kind) ? 26 : 8) }, String(n.title ?? '') + folded);
    g.append(box, bar, icon, title, el('text', { class: 'sub', x: 34, y: 37, 'data-max': W - 42 }, sub));
    if (n.description) g.append(el('text', { class: 'desc', x: 34, y: 53, 'data-max': W - 42 }, String(n.description).replace(/\s+/g, ' ')));
    if (EDITABLE.includes(n.kind)) {
      const edit = el('g', { class: 'edit', role: 'button', tabindex: 0, 'aria-label': `Edit the description of ${n.title ?? n.id}`, transform: `translate(${W - 24},4)` });
      edit.append(el('rect', { width: 20, height: 20, rx: 4 }), el('text', { x: 10, y: 15, 'text-anchor': 'middle' }, '✎'), el('title', {}, 'Edit description'));
      g.append(edit);
    }
    if (n.kind === 'task' && n.status === 'running') {
      const prog = el('rect', { class: 'prog', x: 8, y: H - 4, width: ((W - 16) * (n.progress || 0)).toFixed(1), height: 3 });
      prog.style.fill = color;
      g.append(prog);
    }
    g.append(el('title', {}, String(n.title ?? '') + (n.author ? '\nby ' + n.author : '') + (n.description ? '\n' + n.description : '')));
    return g;
  }

  function drawNodes() {
    const L = state.layout;
    const full = state.scale >= DETAIL;
    L.full = full;
    const nodes = el('g', { id: 'nodes' });
    for (const n of L.v.nodes) nodes.append(nodeElement(n, L.pos.get(n.id), full));
    document.getElementById('nodes').replaceWith(nodes);
    if (full) fitTexts(nodes);
    const q = document.getElementById('search').value.trim();
    if (q) highlight(q.toLowerCase(), false);
  }

  // Cuts each card text that is wider than its room to the longest prefix that fits, with an ellipsis (the tooltip
  // keeps the whole). Texts short enough to fit whatever their letters are not measured, so a large graph costs little.
  function fitTexts(nodes) {
    for (const t of nodes.querySelectorAll('text[data-max]')) {
      const max = Number(t.dataset.max), full = t.textContent;
      // No character of 11–13 px text is wider than 14 px.
      if (full.length * 14 <= max || t.getComputedTextLength() <= max) continue;
      let lo = 0, hi = full.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        t.textContent = full.slice(0, mid) + '…';
        if (t.getComputedTextLength() <= max) lo = mid; else hi = mid - 1;
      }
      t.textContent = full.slice(0, lo).trimEnd() + '…';
    }
  }

  function render() {
    const t0 = performance.now();
    const v = visible();
    const g = layout(v);
    const t1 = performance.now();
    const edges = [];
    v.edges.forEach((e, i) => {
      const pts = g.edges[i];
      const xy = p => p.x.toFixed(1) + ',' + p.y.toFixed(1);
      const d = pts.bezier ? 'M' + xy(pts[0]) + 'C' + pts.slice(1).map(xy).join(' ') : 'M' + pts.map(xy).join('L');
      edges.push(el('path', { class: `edge ${e.kind}`, 'data-from': e.from, 'data-to': e.to, d, 'marker-end': 'url(#arrow)' }));
    });
    const byId = new Map(v.nodes.map(n => [n.id, n]));
    state.layout = { width: g.width, height: g.height, byId, v, pos: g.nodes, full: null };
    const fitNow = state.fitPending;
    if (fitNow) { state.fitPending = false; fitScale(); }
    document.getElementById('viewport').replaceChildren(...edges, el('g', { id: 'nodes' }));
    drawNodes();
    applyTransform();
    if (fitNow) centreOn(focusId, false);
    const t2 = performance.now();
    info.textContent = `${v.nodes.length} nodes, ${v.edges.length} edges · layout (${state.gv ? 'graphviz dot' : 'dagre'}) ${(t1 - t0).toFixed(0)} ms, draw ${(t2 - t1).toFixed(0)} ms`;
    window.cairnGraph = { ready: true, nodes: v.nodes.length, edges: v.edges.length, layoutMs: t1 - t0, drawMs: t2 - t1, engine: state.gv ? 'graphviz' : 'dagre' };
    document.body.dataset.graphReady = '1';
  }

  function applyTransform() {
    document.getElementById('viewport').setAttribute('transform', `translate(${state.tx},${state.ty}) scale(${state.scale})`);
    const L = state.layout;
    // The drawing is as large as the graph at this zoom (at least the frame), and the frame scrolls over it.
    if (L && L.width) {
      svg.setAttribute('width', Math.max(scroller.clientWidth, Math.ceil(L.width * state.scale + state.tx + 20)));
      svg.setAttribute('height', Math.max(scroller.clientHeight, Math.ceil(L.height * state.scale + state.ty + 20)));
    }
    if (L && L.full !== null && L.full !== (state.scale >= DETAIL)) drawNodes();
  }

  function fitScale() {
    const L = state.layout;
    if (!L || !L.width) return;
    const vw = scroller.clientWidth, vh = scroller.clientHeight;
    const whole = Math.min(1.2, Math.max(0.05, Math.min((vw - 40) / L.width, (vh - 40) / L.height)));
    const readable = MIN_TEXT / SMALLEST_FONT;
    const screens = (L.width * readable + 40) * (L.height * readable + 40) / (vw * vh);
    state.scale = whole >= readable || screens > READABLE_SCREENS ? whole : readable;
    state.tx = 20; state.ty = 20;
    window.cairnGraphFit = { scale: state.scale, whole, readable: state.scale >= readable };
  }
  function fit() {
    fitScale();
    applyTransform();
    centreOn(focusId, false);
  }

  // Brings a node into the middle of the frame: by scrolling when the drawing is larger than the frame, else by panning.
  function centreOn(id, pan) {
    const g = id && document.querySelector(`#viewport g.node[data-id="${CSS.escape(id)}"]`);
    if (!g) return;
    const m = g.transform.baseVal[0].matrix;
    const x = (m.e + W / 2) * state.scale + state.tx, y = (m.f + H / 2) * state.scale + state.ty;
    if (pan) {
      state.tx += scroller.clientWidth / 2 - (x - scroller.scrollLeft);
      state.ty += scroller.clientHeight / 2 - (y - scroller.scrollTop);
      applyTransform();
    } else {
      scroller.scrollLeft = Math.max(0, x - scroller.clientWidth / 2);
      scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 2);
    }
  }

  function select(n, edit) {
    // The panel keeps its place (never hidden), so showing details never shifts the drawing under the pointer.
    if (state.editing && !edit) return;
    state.editing = false;
    if (!n) { panel.replaceChildren(html('p', { class: 'muted' }, 'Hover a node for its details.')); return; }
    const editable = EDITABLE.includes(n.kind);
    const meta = html('p', { class: 'muted' }, `${n.kind}${n.status ? ' · ' + n.status : ''}${n.author ? ' · by ' + n.author : ''} · `);
    meta.append(html('code', {}, n.id));
    const parts = [html('h3', {}, `${n.icon ?? ''} ${n.title ?? ''}`), meta];
    const text = html('p', { id: 'node-desc-text', class: n.description ? null : 'muted' }, n.description || (editable ? 'No description yet.' : ''));
    parts.push(text);
    let open = null;
    if (editable) {
      open = html('button', { type: 'button', id: 'node-edit', class: 'secondary' }, 'Edit description');
      parts.push(open);
    }
    const links = html('p', {});
    if (safeLink(n.link)) links.append(html('a', { class: 'button', href: n.link }, 'Open'), ' ');
    links.append(html('a', { class: 'button secondary', href: `/graph?focus=${encodeURIComponent(n.id)}&depth=2` }, 'Focus'));
    parts.push(links);
    panel.replaceChildren(...parts);
    if (!editable) return;
    // Edit: a small form in the panel (the API call carries the page's cookie; same-origin writes need no token).
    const showForm = () => {
      state.editing = true;
      const form = html('form', { id: 'node-desc-form' });
      const label = html('label', { for: 'node-desc' }, 'Description');
      const desc = html('textarea', { id: 'node-desc', rows: 4, cols: 30 });
      desc.value = n.description ?? '';
      const save = html('button', { type: 'submit', id: 'node-save' }, 'Save');
      const cancel = html('button', { type: 'button', class: 'secondary', id: 'node-cancel' }, 'Cancel');
      const msg = html('p', { id: 'node-desc-status', class: 'muted', role: 'status' });
      form.append(label, html('br', {}), desc, html('br', {}), save, ' ', cancel, msg);
      open.replaceWith(form);
      desc.focus();
      cancel.addEventListener('click', () => { state.editing = false; select(n, true); });
      form.addEventListener('submit', async e => {
        e.preventDefault();
        const description = desc.value;
        msg.textContent = 'Saving…';
        const r = await fetch(`/api/v1/graph/nodes/${encodeURIComponent(n.id)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description }) });
        if (!r.ok) {
          let detail = `${r.status}`;
          try { detail = (await r.json()).detail || detail; } catch { /* not a problem document */ }
          msg.textContent = 'Not saved: ' + detail;
          return;
        }
        n.description = description;
        state.editing = false;
        drawNodes();
        select(n, true);
        document.getElementById('node-desc-text').dataset.saved = '1';
      });
    };
    open.addEventListener('click', showForm);
    if (edit === 'form') showForm();
  }

  // Click opens a node's page (folders expand and fold); hovering shows its details in the side panel.
  let drag = null, moved = false;
  svg.addEventListener('mousedown', e => { drag = { x: e.clientX, y: e.clientY, tx: state.tx, ty: state.ty }; moved = false; });
  window.addEventListener('mousemove', e => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
    state.tx = drag.tx + dx; state.ty = drag.ty + dy; applyTransform();
  });
  window.addEventListener('mouseup', () => { drag = null; });
  svg.addEventListener('click', e => {
    if (moved) return;
    const g = e.target.closest('g.node');
    if (g && e.target.closest('g.edit')) { select(state.layout.byId.get(g.dataset.id), 'form'); return; }
    if (!g) { select(null); return; }
    const n = state.layout.byId.get(g.dataset.id);
    if (n.kind === 'folder') {
      state.expanded.has(n.id) ? state.expanded.delete(n.id) : state.expanded.add(n.id);
      render();
      return;
    }
    if (e.altKey || !safeLink(n.link)) { select(n); return; }
    location.href = n.link;
  });
  svg.addEventListener('keydown', e => {
    const b = e.target.closest && e.target.closest('g.edit');
    if (!b || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    select(state.layout.byId.get(b.closest('g.node').dataset.id), 'form');
  });
  svg.addEventListener('mouseover', e => {
    const g = e.target.closest('g.node');
    if (g) select(state.layout.byId.get(g.dataset.id));
  });
  svg.addEventListener('wheel', e => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    const k = Math.exp(-e.deltaY * 0.0015);
    const s = Math.min(4, Math.max(0.03, state.scale * k));
    state.tx = mx - (mx - state.tx) * (s / state.scale);
    state.ty = my - (my - state.ty) * (s / state.scale);
    state.scale = s;
    applyTransform();
  }, { passive: false });

  document.querySelectorAll('#kind-filter input').forEach(cb => cb.addEventListener('change', () => {
    cb.checked ? state.hidden.delete(cb.value) : state.hidden.add(cb.value);
    render();
  }));
  document.getElementById('fit').addEventListener('click', fit);
  // Marks the nodes whose title or description contains q; centres the first unless only redrawing.
  function highlight(q, centre) {
    let first = null;
    document.querySelectorAll('#viewport g.node').forEach(g => {
      const n = state.layout.byId.get(g.dataset.id);
      const hit = q.length > 0 && (n.title.toLowerCase().includes(q) || (n.description || '').toLowerCase().includes(q));
      g.classList.toggle('hit', hit);
      if (hit && !first) first = g;
    });
    if (first && centre) centreOn(first.dataset.id, true);
  }
  document.getElementById('search').addEventListener('input', e => highlight(e.target.value.trim().toLowerCase(), true));

  async function load() {
    const t0 = performance.now();
    const [r, gv] = await Promise.all([fetch('/api/v1/graph' + location.search), graphviz()]);
    state.graph = await r.json();
    state.gv = gv;
    window.cairnGraphFetchMs = performance.now() - t0;
    state.fitPending = true;
    render();
  }
  window.cairnGraphLoad = async g => { state.gv = await graphviz(); state.graph = g; state.fitPending = true; render(); };
  if (!window.cairnGraphManual) load();
})();
