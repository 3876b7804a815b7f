// The item page's annotation editor, on Konva (vendor/konva.min.js): boxes, polygons, points and image tags over the
// image, with selection, class changes, copy/paste, undo/redo, zoom and pan. It edits the annotation document in its
// canonical JSON form (what GET /api/v1/items/{id} returns) and saves it whole with PUT …/annotation; labels of kinds
// it cannot reshape (masks, polylines, keypoints) are shown, can be reclassed, copied and deleted, and otherwise are
// sent back untouched. Text reaches the DOM only through textContent and setAttribute.
(() => {
  const root = document.getElementById('editor');
  const toggle = document.getElementById('edit-toggle');
  if (!root || !toggle || !window.Konva) return;
  const view = document.getElementById('item-view');
  const itemId = root.dataset.item;
  const projectId = root.dataset.project;
  const W = Number(root.dataset.width) || 1;
  const H = Number(root.dataset.height) || 1;
  const $ = id => document.getElementById(id);
  const status = $('ed-status');
  const api = window.cairnEditor = { ready: false, firstRenderMs: null };

  let started = false;
  const open = () => {
    root.hidden = false;
    if (view) view.hidden = true;
    toggle.textContent = 'Close editor';
    for (const id of ['item-prev', 'item-next']) {
      const a = $(id);
      if (a) a.setAttribute('href', a.getAttribute('href').split('?')[0] + '?edit=true');
    }
    if (!started) { started = true; start(); }
  };
  // Closing reloads the page, so the read view shows what was saved (the browser asks first when changes are unsaved).
  toggle.addEventListener('click', () => { if (root.hidden) open(); else location.href = `/items/${itemId}`; });
  if (root.dataset.open === '1') open();

  function start() {
    const t0 = performance.now();
    const host = $('ed-stage');
    Konva.dragButtons = [0];
    const stage = new Konva.Stage({ container: host, width: host.clientWidth || 800, height: host.clientHeight || 600 });
    const imageLayer = new Konva.Layer({ listening: false });
    const layer = new Konva.Layer();
    const ui = new Konva.Layer();
    stage.add(imageLayer, layer, ui);
    const transformer = new Konva.Transformer({ rotateEnabled: false, flipEnabled: false, keepRatio: false, ignoreStroke: true, anchorSize: 8 });
    ui.add(transformer);

    let classes = [];           // the project's classes: {name, shape, color}
    let state = { tags: [], labels: [] };
    let undo = [], redo = [];
    let dirty = false;
    let selected = -1;
    let tool = 'select';
    let clipboard = null;
    let nodes = [];             // Konva node per label index
    let handles = [];           // vertex handles of the selected polygon
    let draft = null;           // shape being drawn: {kind, start, points, node}
    let pan = null;             // {x, y, sx, sy} while panning
    let spaceDown = false;

    // ---- state, undo, redo --------------------------------------------------------------------------------------
    const snapshot = () => JSON.stringify(state);
    const edit = (change, rebuildAll = true) => {
      const before = snapshot();
      change();
      undo.push(before);
      if (undo.length > 200) undo.shift();
      redo = [];
      dirty = true;
      if (rebuildAll) rebuild(); else layer.batchDraw();
      showStatus();
    };
    const restore = (from, to) => {
      if (!from.length) return;
      to.push(snapshot());
      state = JSON.parse(from.pop());
      dirty = true;
      if (selected >= state.labels.length) selected = -1;
      rebuild();
      showStatus();
    };
    const doUndo = () => restore(undo, redo);
    const doRedo = () => restore(redo, undo);

    // ---- colours and geometry helpers ---------------------------------------------------------------------------
    const colorOf = name => (classes.find(c => c.name === name) || {}).color || '#ff00ff';
    const rgba = (hex, a) => {
      const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || '');
      return m ? `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${a})` : `rgba(255,0,255,${a})`;
    };
    const clampX = x => Math.min(W, Math.max(0, x));
    const clampY = y => Math.min(H, Math.max(0, y));
    const round = v => Math.round(v * 100) / 100;
    const pointer = () => {
      const p = stage.getRelativePointerPosition();
      return p ? { x: p.x, y: p.y } : { x: 0, y: 0 };
    };
    const scale = () => stage.scaleX();
    const dotRadius = Math.max(W, H) / 300;
    const editable = l => l.type === 'rectangle' || l.type === 'polygon' || l.type === 'point';

    // Moves a label's geometry by (dx, dy), holes and all, kept inside the image.
    const shift = (l, dx, dy) => {
      const xs = [], ys = [];
      if (l.type === 'rectangle') { xs.push(l.box[0], l.box[2]); ys.push(l.box[1], l.box[3]); }
      if (l.type === 'polygon') for (let i = 0; i < l.exterior.length; i += 2) { xs.push(l.exterior[i]); ys.push(l.exterior[i + 1]); }
      if (l.type === 'point') { xs.push(l.xy[0]); ys.push(l.xy[1]); }
      if (l.type === 'polyline') for (let i = 0; i < l.points.length; i += 2) { xs.push(l.points[i]); ys.push(l.points[i + 1]); }
      if (!xs.length) return false;
      dx = Math.min(W - Math.max(...xs), Math.max(-Math.min(...xs), dx));
      dy = Math.min(H - Math.max(...ys), Math.max(-Math.min(...ys), dy));
      const move = a => a.map((v, i) => round(v + (i % 2 ? dy : dx)));
      if (l.type === 'rectangle') l.box = move(l.box);
      if (l.type === 'polygon') { l.exterior = move(l.exterior); if (l.interiors) l.interiors = l.interiors.map(move); }
      if (l.type === 'point') l.xy = move(l.xy);
      if (l.type === 'polyline') l.points = move(l.points);
      return true;
    };

    // ---- drawing ------------------------------------------------------------------------------------------------
    const makeNode = (l, i) => {
      const color = colorOf(l.class);
      const common = { stroke: color, strokeWidth: 2, strokeScaleEnabled: false, perfectDrawEnabled: false, shadowForStrokeEnabled: false, draggable: tool === 'select' && editable(l) };
      let n;
      switch (l.type) {
        case 'rectangle':
          n = new Konva.Rect({ ...common, x: l.box[0], y: l.box[1], width: l.box[2] - l.box[0], height: l.box[3] - l.box[1], fill: rgba(color, 0.12) });
          break;
        case 'polygon':
          n = new Konva.Line({ ...common, points: l.exterior.slice(), closed: true, fill: rgba(color, 0.25) });
          break;
        case 'point':
          n = new Konva.Circle({ ...common, x: l.xy[0], y: l.xy[1], radius: dotRadius, fill: color, stroke: '#fff', strokeWidth: 1 });
          break;
        case 'polyline':
          n = new Konva.Line({ ...common, points: l.points.slice(), strokeWidth: 3, hitStrokeWidth: 10 });
          break;
        case 'mask': {
          const b = l.bbox || [0, 0, 0, 0];
          n = new Konva.Rect({ ...common, x: b[0], y: b[1], width: b[2], height: b[3], dash: [6, 4], fill: rgba(color, 0.08) });
          break;
        }
        case 'keypoints': {
          n = new Konva.Group({ draggable: false });
          const k = l.nodes || [];
          for (let j = 0; j + 2 < k.length; j += 3) if (k[j + 2] > 0) n.add(new Konva.Circle({ x: k[j], y: k[j + 1], radius: dotRadius, fill: color, stroke: '#fff', strokeWidth: 1, strokeScaleEnabled: false }));
          break;
        }
        default:
          n = new Konva.Group();
      }
      n.setAttr('labelIndex', i);
      return n;
    };

    const rebuild = () => {
      clearHandles();
      transformer.nodes([]);
      layer.destroyChildren();
      nodes = state.labels.map(makeNode);
      for (const n of nodes) layer.add(n);
      showSelection();
      layer.batchDraw();
      renderTags();
      $('ed-count').textContent = `${state.labels.length} objects`;
    };

    // ---- selection ----------------------------------------------------------------------------------------------
    const clearHandles = () => { for (const h of handles) h.destroy(); handles = []; };
    const showSelection = () => {
      clearHandles();
      transformer.nodes([]);
      for (const n of nodes) if (n.strokeWidth && n.getAttr('labelIndex') !== undefined && n.getAttr('selectedStroke')) { n.strokeWidth(2); n.setAttr('selectedStroke', false); }
      const info = $('ed-selection');
      if (selected < 0 || selected >= state.labels.length) {
        selected = -1;
        info.textContent = 'nothing selected';
        ui.batchDraw();
        return;
      }
      const l = state.labels[selected];
      const n = nodes[selected];
      if (n.strokeWidth && l.type !== 'point') { n.strokeWidth(4); n.setAttr('selectedStroke', true); }
      info.textContent = `#${selected + 1}: ${l.class} (${l.type})${l.conf != null ? ' ' + Number(l.conf).toFixed(2) : ''}`;
      const picker = $('ed-class');
      if (classes.some(c => c.name === l.class)) picker.value = l.class;
      if (l.type === 'rectangle' && tool === 'select') transformer.nodes([n]);
      if (l.type === 'polygon' && tool === 'select') makeHandles(l);
      ui.batchDraw();
      layer.batchDraw();
    };
    const select = i => { selected = i; showSelection(); };

    const makeHandles = l => {
      const r = 5 / scale();
      for (let j = 0; j < l.exterior.length; j += 2) {
        const h = new Konva.Circle({ x: l.exterior[j], y: l.exterior[j + 1], radius: r, fill: '#fff', stroke: '#111', strokeWidth: 1, strokeScaleEnabled: false, draggable: true });
        h.setAttr('vertex', j / 2);
        h.on('dragmove', () => {
          const n = nodes[selected];
          const pts = n.points().slice();
          pts[j] = clampX(h.x()); pts[j + 1] = clampY(h.y());
          n.points(pts);
          layer.batchDraw();
        });
        h.on('dragend', () => {
          const x = round(clampX(h.x())), y = round(clampY(h.y()));
          edit(() => { const e = state.labels[selected].exterior; e[j] = x; e[j + 1] = y; });
        });
        h.on('click', e => {
          if (!e.evt.altKey) return;
          e.cancelBubble = true;
          if (l.exterior.length <= 6) { say('a polygon keeps three vertices: delete the object instead', true); return; }
          edit(() => state.labels[selected].exterior.splice(j, 2));
        });
        ui.add(h);
        handles.push(h);
      }
    };

    // Inserts a vertex into the selected polygon on the edge nearest the pointer.
    const insertVertex = p => {
      const e = state.labels[selected].exterior;
      let best = 0, bestD = Infinity;
      for (let j = 0; j < e.length; j += 2) {
        const ax = e[j], ay = e[j + 1], bx = e[(j + 2) % e.length], by = e[(j + 3) % e.length];
        const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy || 1;
        const t = Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / len));
        const d = (ax + t * dx - p.x) ** 2 + (ay + t * dy - p.y) ** 2;
        if (d < bestD) { bestD = d; best = j + 2; }
      }
      edit(() => state.labels[selected].exterior.splice(best, 0, round(clampX(p.x)), round(clampY(p.y))));
    };

    // ---- the class picker and classes ---------------------------------------------------------------------------
    const fillClasses = () => {
      const picker = $('ed-class');
      picker.replaceChildren();
      classes.forEach((c, i) => {
        const o = document.createElement('option');
        o.value = c.name;
        o.textContent = i < 9 ? `${i + 1}. ${c.name}` : c.name;
        picker.append(o);
      });
    };
    const currentClass = () => $('ed-class').value;
    const setClass = name => {
      $('ed-class').value = name;
      if (selected < 0 || state.labels[selected].class === name) return;
      edit(() => { state.labels[selected].class = name; }, false);
      const n = nodes[selected];
      const color = colorOf(name);
      if (n.stroke && state.labels[selected].type !== 'point') n.stroke(color);
      if (n.fill) n.fill(state.labels[selected].type === 'point' ? color : rgba(color, state.labels[selected].type === 'polygon' ? 0.25 : 0.12));
      showSelection();
    };
    $('ed-class').addEventListener('change', () => { setClass(currentClass()); $('ed-class').blur(); });
    $('ed-add-class').addEventListener('click', async () => {
      const name = $('ed-new-class').value.trim();
      if (!name) { say('new class: type its name first', true); return; }
      const r = await fetch(`/api/v1/projects/${projectId}/classes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, shape: $('ed-new-shape').value }) });
      if (!r.ok) { say(await problem(r), true); return; }
      const c = await r.json();
      classes.push(c);
      fillClasses();
      $('ed-new-class').value = '';
      setClass(c.name);
      say(`class ${c.name} added to the project`);
    });

    // ---- image tags ---------------------------------------------------------------------------------------------
    const renderTags = () => {
      const list = $('ed-tags');
      list.replaceChildren();
      (state.tags || []).forEach((t, i) => {
        const li = document.createElement('li');
        const span = document.createElement('span');
        span.className = 'tag';
        span.textContent = t.length > 1 ? `${t[0]}: ${t[1]}` : t[0];
        const x = document.createElement('button');
        x.type = 'button';
        x.className = 'secondary';
        x.textContent = '×';
        x.setAttribute('title', 'remove this tag');
        x.addEventListener('click', () => edit(() => state.tags.splice(i, 1)));
        li.append(span, x);
        list.append(li);
      });
    };
    $('ed-add-tag').addEventListener('click', () => {
      const text = $('ed-tag').value.trim();
      if (!text) return;
      const k = text.indexOf('=');
      const tag = k > 0 ? [text.slice(0, k).trim(), text.slice(k + 1).trim()] : [text];
      $('ed-tag').value = '';
      edit(() => { state.tags = [...(state.tags || []), tag]; });
    });

    // ---- commands -----------------------------------------------------------------------------------------------
    const remove = () => {
      if (selected < 0) return;
      const i = selected;
      selected = -1;
      edit(() => state.labels.splice(i, 1));
    };
    const copy = () => { if (selected >= 0) { clipboard = JSON.stringify(state.labels[selected]); say('copied'); } };
    const paste = () => {
      if (!clipboard) return;
      const l = JSON.parse(clipboard);
      shift(l, 10, 10);
      edit(() => { state.labels.push(l); selected = state.labels.length - 1; });
    };
    const setTool = t => {
      tool = t;
      cancelDraft();
      for (const b of root.querySelectorAll('button.tool')) b.classList.toggle('on', b.dataset.tool === t);
      for (const n of nodes) if (n.draggable) n.draggable(t === 'select' && editable(state.labels[n.getAttr('labelIndex')]));
      showSelection();
    };
    for (const b of root.querySelectorAll('button.tool')) b.addEventListener('click', () => setTool(b.dataset.tool));
    $('ed-undo').addEventListener('click', doUndo);
    $('ed-redo').addEventListener('click', doRedo);
    $('ed-delete').addEventListener('click', remove);
    $('ed-fit').addEventListener('click', () => fit());
    $('ed-help-toggle').addEventListener('click', () => { $('ed-help').hidden = !$('ed-help').hidden; });
    $('ed-save').addEventListener('click', () => save());

    const problem = async r => {
      try { const p = await r.json(); return `${r.status} ${p.title || ''}: ${p.detail || ''}`; } catch { return `${r.status} ${r.statusText}`; }
    };
    let message = '';
    let messageIsError = false;
    const say = (text, error = false) => { message = text; messageIsError = error; showStatus(); };
    const showStatus = () => {
      status.textContent = `${dirty ? 'unsaved changes' : 'saved'}${message ? ' · ' + message : ''}`;
      status.classList.toggle('ed-dirty', dirty && !messageIsError);
      status.classList.toggle('ed-error', messageIsError);
      $('ed-undo').disabled = !undo.length;
      $('ed-redo').disabled = !redo.length;
      $('ed-save').disabled = !dirty;
      message = '';
      messageIsError = false;
    };
    const save = async () => {
      const body = { v: 1, w: W, h: H, labels: state.labels };
      if (state.tags && state.tags.length) body.tags = state.tags;
      const saving = snapshot();
      const r = await fetch(`/api/v1/items/${itemId}/annotation`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!r.ok) { say(await problem(r), true); return false; }
      dirty = snapshot() !== saving;
      say('saved to the working state');
      api.saves = (api.saves || 0) + 1;
      return true;
    };
    window.addEventListener('beforeunload', e => { if (dirty) e.preventDefault(); });

    // ---- view: fit, zoom, pan -----------------------------------------------------------------------------------
    const fit = () => {
      const s = Math.min(stage.width() / W, stage.height() / H);
      stage.scale({ x: s, y: s });
      stage.position({ x: (stage.width() - W * s) / 2, y: (stage.height() - H * s) / 2 });
      afterZoom();
    };
    const afterZoom = () => {
      sharpen();
      if (handles.length) { const r = 5 / scale(); for (const h of handles) h.radius(r); }
      stage.batchDraw();
    };
    stage.on('wheel', e => {
      e.evt.preventDefault();
      const old = scale();
      const p = stage.getPointerPosition();
      const at = { x: (p.x - stage.x()) / old, y: (p.y - stage.y()) / old };
      const s = Math.min(40, Math.max(0.02, old * Math.pow(1.0015, -e.evt.deltaY)));
      stage.scale({ x: s, y: s });
      stage.position({ x: p.x - at.x * s, y: p.y - at.y * s });
      afterZoom();
    });
    new ResizeObserver(() => {
      if (!host.clientWidth) return;
      stage.size({ width: host.clientWidth, height: host.clientHeight });
      stage.batchDraw();
    }).observe(host);

    // ---- pointer: select, draw, pan -----------------------------------------------------------------------------
    const labelOf = target => {
      for (let n = target; n && n !== layer; n = n.getParent()) {
        const i = n.getAttr && n.getAttr('labelIndex');
        if (i !== undefined && n.getParent() === layer) return i;
      }
      return -1;
    };
    const onUi = target => target && target.getLayer && target.getLayer() === ui;
    const cancelDraft = () => { if (draft) { draft.node.destroy(); draft = null; ui.batchDraw(); } };

    stage.on('mousedown', e => {
      const evt = e.evt;
      if (evt.button === 1 || spaceDown || (tool === 'select' && evt.button === 0 && labelOf(e.target) < 0 && !onUi(e.target))) {
        if (tool === 'select' && !spaceDown && evt.button === 0) select(-1);
        pan = { x: evt.clientX, y: evt.clientY, sx: stage.x(), sy: stage.y() };
        evt.preventDefault();
        return;
      }
      if (evt.button !== 0 || onUi(e.target)) return;
      const p = pointer();
      if (tool === 'select') { select(labelOf(e.target)); return; }
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) return;
      if (!currentClass()) { say('the project has no class yet: add one first', true); return; }
      const color = colorOf(currentClass());
      if (tool === 'box') {
        draft = { kind: 'box', start: p, node: new Konva.Rect({ x: p.x, y: p.y, width: 0, height: 0, stroke: color, strokeWidth: 2, dash: [6, 4], strokeScaleEnabled: false, listening: false }) };
        ui.add(draft.node);
      } else if (tool === 'point') {
        edit(() => { state.labels.push({ class: currentClass(), type: 'point', xy: [round(p.x), round(p.y)] }); selected = state.labels.length - 1; });
      } else if (tool === 'polygon') {
        if (!draft) {
          draft = { kind: 'polygon', points: [p.x, p.y], node: new Konva.Line({ points: [p.x, p.y, p.x, p.y], stroke: color, strokeWidth: 2, dash: [6, 4], strokeScaleEnabled: false, listening: false }) };
          ui.add(draft.node);
        } else {
          const d = Math.hypot(p.x - draft.points[0], p.y - draft.points[1]) * scale();
          if (d < 8 && draft.points.length >= 6) { finishPolygon(); return; }
          draft.points.push(p.x, p.y);
          draft.node.points([...draft.points, p.x, p.y]);
        }
      }
      ui.batchDraw();
    });
    stage.on('mousemove', e => {
      if (pan) {
        stage.position({ x: pan.sx + e.evt.clientX - pan.x, y: pan.sy + e.evt.clientY - pan.y });
        stage.batchDraw();
        return;
      }
      if (!draft) return;
      const p = pointer();
      if (draft.kind === 'box') {
        const x = clampX(p.x), y = clampY(p.y);
        draft.node.setAttrs({ x: Math.min(x, draft.start.x), y: Math.min(y, draft.start.y), width: Math.abs(x - draft.start.x), height: Math.abs(y - draft.start.y) });
      } else {
        draft.node.points([...draft.points, p.x, p.y]);
      }
      ui.batchDraw();
    });
    const endPointer = () => {
      if (pan) { pan = null; return; }
      if (!draft || draft.kind !== 'box') return;
      const r = draft.node;
      const box = [round(r.x()), round(r.y()), round(r.x() + r.width()), round(r.y() + r.height())];
      cancelDraft();
      if ((box[2] - box[0]) * scale() < 3 || (box[3] - box[1]) * scale() < 3) return;
      edit(() => { state.labels.push({ class: currentClass(), type: 'rectangle', box }); selected = state.labels.length - 1; });
    };
    stage.on('mouseup', endPointer);
    window.addEventListener('mouseup', () => { if (pan) pan = null; });
    const finishPolygon = () => {
      const pts = draft.points.map(v => round(v));
      cancelDraft();
      if (pts.length < 6) { say('a polygon needs three vertices', true); return; }
      edit(() => { state.labels.push({ class: currentClass(), type: 'polygon', exterior: pts.map((v, i) => i % 2 ? clampY(v) : clampX(v)) }); selected = state.labels.length - 1; });
    };
    stage.on('dblclick', e => {
      if (tool === 'select' && selected >= 0 && state.labels[selected].type === 'polygon' && labelOf(e.target) === selected) insertVertex(pointer());
    });

    // Dragging a whole shape: Konva moves the node; the model takes the offset when the drag ends.
    layer.on('dragstart', e => { const i = labelOf(e.target); if (i >= 0 && i !== selected) select(i); clearHandles(); });
    layer.on('dragend', e => {
      const i = labelOf(e.target);
      if (i < 0) return;
      const n = nodes[i], l = state.labels[i];
      let dx, dy;
      if (l.type === 'rectangle') { dx = n.x() - l.box[0]; dy = n.y() - l.box[1]; }
      else if (l.type === 'point') { dx = n.x() - l.xy[0]; dy = n.y() - l.xy[1]; }
      else { dx = n.x(); dy = n.y(); }
      edit(() => shift(state.labels[i], dx, dy));
    });
    transformer.on('transformend', () => {
      const n = nodes[selected];
      const box = [round(clampX(n.x())), round(clampY(n.y())), round(clampX(n.x() + n.width() * n.scaleX())), round(clampY(n.y() + n.height() * n.scaleY()))];
      edit(() => { state.labels[selected].box = box; });
    });

    // ---- keys ---------------------------------------------------------------------------------------------------
    document.addEventListener('keydown', e => {
      if (root.hidden) return;
      const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
      const ctrl = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (ctrl && k === 's') { e.preventDefault(); save(); return; }
      if (typing) return;
      if (ctrl && k === 'z') { e.preventDefault(); if (e.shiftKey) doRedo(); else doUndo(); return; }
      if (ctrl && k === 'y') { e.preventDefault(); doRedo(); return; }
      if (ctrl && k === 'c') { copy(); return; }
      if (ctrl && k === 'v') { paste(); return; }
      if (ctrl || e.altKey) return;
      if (e.key === ' ') { spaceDown = true; e.preventDefault(); return; }
      if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        if (draft && draft.kind === 'polygon' && draft.points.length > 2) { draft.points.splice(-2, 2); draft.node.points([...draft.points, ...draft.points.slice(-2)]); ui.batchDraw(); }
        else remove();
        return;
      }
      if (e.key === 'Escape') { if (draft) cancelDraft(); else select(-1); return; }
      if (e.key === 'Enter' && draft && draft.kind === 'polygon') { finishPolygon(); return; }
      if (e.key === '?') { $('ed-help').hidden = !$('ed-help').hidden; return; }
      const tools = { v: 'select', b: 'box', p: 'polygon', o: 'point' };
      if (tools[k]) { setTool(tools[k]); return; }
      if (k === 'f') { fit(); return; }
      if (/^[1-9]$/.test(e.key) && classes[Number(e.key) - 1]) setClass(classes[Number(e.key) - 1].name);
    });
    document.addEventListener('keyup', e => { if (e.key === ' ') spaceDown = false; });

    // ---- load ---------------------------------------------------------------------------------------------------
    // The image is decoded off the main thread into a bitmap of at most 2,048 px a side, which every pan and zoom
    // redraws cheaply; the full-resolution bitmap is made when the zoom first needs it. (Drawing a 12-megapixel <img>
    // on the canvas decoded it again on the main thread: 1.5 s on a loaded machine.)
    api.timings = {};
    const limit = 2048;
    let blob = null, full = null, fullPending = false, konvaImage = null;
    const imageLoaded = fetch(root.dataset.image)
      .then(r => r.ok ? r.blob() : Promise.reject(new Error(`the image did not load: ${r.status}`)))
      .then(b => {
        blob = b;
        const side = Math.max(W, H);
        return side > limit
          ? createImageBitmap(b, { resizeWidth: Math.max(1, Math.round(W * limit / side)), resizeHeight: Math.max(1, Math.round(H * limit / side)), resizeQuality: 'medium' })
          : createImageBitmap(b);
      })
      .then(bitmap => { api.timings.image = performance.now() - t0; return bitmap; });
    const sharpen = () => {
      if (!konvaImage || full || fullPending || Math.max(W, H) <= limit || Math.max(W, H) * scale() <= limit) return;
      fullPending = true;
      createImageBitmap(blob).then(b => { full = b; konvaImage.image(b); imageLayer.batchDraw(); });
    };
    Promise.all([
      fetch(`/api/v1/items/${itemId}`).then(r => r.ok ? r.json() : Promise.reject(new Error(`item ${itemId}: ${r.status}`))),
      fetch(`/api/v1/projects/${projectId}`).then(r => r.ok ? r.json() : Promise.reject(new Error(`project ${projectId}: ${r.status}`))),
      imageLoaded,
    ]).then(([item, project, bitmap]) => {
      api.timings.loaded = performance.now() - t0;
      classes = project.classes.map(c => ({ name: c.name, shape: c.shape, color: c.color }));
      fillClasses();
      state = { tags: item.annotation.tags || [], labels: item.annotation.labels || [] };
      konvaImage = new Konva.Image({ image: bitmap, x: 0, y: 0, width: W, height: H });
      imageLayer.add(konvaImage);
      fit();
      setTool('select');
      rebuild();
      api.timings.shapes = performance.now() - t0;
      // The first frame draws what is seen; the shapes' hit canvas (for picking) follows right after, so the first
      // render does not pay for drawing 1,000 shapes twice.
      imageLayer.drawScene();
      layer.drawScene();
      api.timings.drawn = performance.now() - t0;
      showStatus();
      api.firstRenderMs = performance.now() - t0;
      api.readyAt = performance.now();
      setTimeout(() => {
        stage.draw();
        api.ready = true;
        root.dataset.ready = '1';
      }, 0);
    }).catch(err => say(err.message, true));

    // ---- for tests and scripts: the same operations the pointer and keys perform ----------------------------------
    Object.assign(api, {
      state: () => JSON.parse(snapshot()),
      selected: () => selected,
      select: i => { select(i); stage.draw(); },
      // Moves the selected object as a drag would, and draws the result at once.
      nudge: (dx, dy) => {
        if (selected < 0) return;
        edit(() => shift(state.labels[selected], dx, dy), false);
        const i = selected;
        const fresh = makeNode(state.labels[i], i);
        nodes[i].destroy();
        nodes[i] = fresh;
        layer.add(fresh);
        showSelection(); // drawn in the next frame, as a drag's move is
      },
      // Page (client) coordinates of an image point, for driving the mouse.
      toClient: (x, y) => {
        const r = host.getBoundingClientRect();
        return { x: r.left + stage.x() + x * scale(), y: r.top + stage.y() + y * scale() };
      },
      scale: () => scale(),
      undo: doUndo,
      redo: doRedo,
      save,
      setTool,
    });
  }
})();
