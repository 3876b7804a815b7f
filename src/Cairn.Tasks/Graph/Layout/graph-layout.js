// Workflow graph layout, shared by the web UI (graph.js; the server serves this file as /static/graph-layout.js) and
// `cairn graph`'s SVG/PNG export (GraphRenderer beside this folder; Jint runs this same file).
// Each weakly connected component is laid out on its own, then the components are stacked top to bottom, largest
// first. The engine is Graphviz's dot (WebAssembly, vendor/graphviz.js) when the caller passes it in — the web UI does —
// and dagre otherwise (the export, where Jint cannot run WebAssembly; and the browser's fallback). dot lays out a
// 2,000-node workspace in about half of dagre's time and with fewer crossings (bench/Cairn.Bench.Graph).
var cairnLayout = (function () {
  var GAP = 36;
  var MARGIN = 10;
  // Large graphs: dagre's tight-tree ranker and its initial (DFS) order instead of network simplex and the
  // crossing-reduction sweeps, which cost several times more (docs/benchmarks.md). Decided on the whole graph, not per
  // component: 40 lineages of 50 nodes cost as much with the sweeps as one graph of 2,000 without them.
  var LARGE = 400;

  // Weakly connected components as { nodes: [id], edges: [[from, to]] }, largest first (ties keep input order).
  function components(ids, edges) {
    var parent = new Map();
    ids.forEach(function (id) { parent.set(id, id); });
    function find(x) {
      while (parent.get(x) !== x) { var p = parent.get(parent.get(x)); parent.set(x, p); x = p; }
      return x;
    }
    edges.forEach(function (e) {
      var a = find(e[0]), b = find(e[1]);
      if (a !== b) parent.set(a, b);
    });
    var groups = new Map();
    ids.forEach(function (id) {
      var r = find(id);
      var g = groups.get(r);
      if (!g) { g = { nodes: [], edges: [], order: groups.size }; groups.set(r, g); }
      g.nodes.push(id);
    });
    edges.forEach(function (e) { groups.get(find(e[0])).edges.push(e); });
    var parts = Array.from(groups.values());
    parts.sort(function (a, b) { return b.nodes.length - a.nodes.length || a.order - b.order; });
    return parts;
  }

  // One component laid out by dagre: { nodes: [[x, y]] (component order), edges: [[[x, y], ...]], width, height }.
  function one(c, w, h, big) {
    var g = new dagre.graphlib.Graph({ multigraph: false });
    g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 70, marginx: 0, marginy: 0, ranker: big ? 'tight-tree' : 'network-simplex' });
    g.setDefaultEdgeLabel(function () { return {}; });
    c.nodes.forEach(function (id) { g.setNode(id, { width: w, height: h }); });
    c.edges.forEach(function (e) { g.setEdge(e[0], e[1]); });
    dagre.layout(g, { disableOptimalOrderHeuristic: big });
    return {
      nodes: c.nodes.map(function (id) { var n = g.node(id); return [n.x, n.y]; }),
      edges: c.edges.map(function (e) { return g.edge(e[0], e[1]).points.map(function (p) { return [p.x, p.y]; }); }),
      width: g.graph().width || w,
      height: g.graph().height || h
    };
  }

  // One component laid out by Graphviz's dot (gv: a loaded @hpcc-js/wasm-graphviz instance), in the same shape as
  // one(); edges are cubic Bézier control points (bezier: true). Coordinates are points, and node sizes are given in
  // inches, so 1 px of the drawing is 1 pt of dot's. Large graphs cap dot's ranking and crossing-reduction effort.
  function oneDot(gv, c, w, h, big) {
    var index = new Map();
    c.nodes.forEach(function (id, i) { index.set(id, i); });
    var dot = ['strict digraph{rankdir=LR;nodesep=', 16 / 72, ';ranksep=', 70 / 72, ';splines=', big ? 'polyline' : 'spline', ';',
      big ? 'mclimit=0.05;nslimit=0.5;nslimit1=0.5;searchsize=5;remincross=false;' : '',
      'node[shape=box,fixedsize=true,label="",width=', w / 72, ',height=', h / 72, '];edge[arrowhead=none];'];
    c.nodes.forEach(function (id, i) { dot.push('n', i, ';'); });
    c.edges.forEach(function (e) { dot.push('n', index.get(e[0]), '->n', index.get(e[1]), ';'); });
    dot.push('}');
    var out = JSON.parse(gv.layout(dot.join(''), 'json0', 'dot'));
    var bb = out.bb.split(',').map(Number);
    var top = bb[3];
    var flip = function (p) { var xy = p.split(','); return [+xy[0], top - +xy[1]]; };
    var pos = new Array(c.nodes.length);
    (out.objects || []).forEach(function (o) { pos[+o.name.slice(1)] = flip(o.pos); });
    var curves = new Map();
    (out.edges || []).forEach(function (e) {
      var pts = e.pos.split(' ').filter(function (t) { return !/^[es],/.test(t); }).map(flip);
      curves.set(e.tail + ':' + e.head, pts);
    });
    var edges = c.edges.map(function (e) {
      var pts = curves.get(index.get(e[0]) + ':' + index.get(e[1]));
      if (!pts) { var a = pos[index.get(e[0])], b = pos[index.get(e[1])]; pts = [a, a, b, b]; }
      return pts;
    });
    return { nodes: pos, edges: edges, width: bb[2], height: top, bezier: true };
  }

  // Stacks laid-out components (results[i] belongs to parts[i]) into one drawing.
  // Returns { nodes: Map id -> {x, y} (centres), edges: [[{x, y}, ...]] (same order as the input edges), width, height }.
  function stack(edges, parts, results) {
    var pos = new Map();
    var points = new Map();
    var y0 = MARGIN, width = 0;
    parts.forEach(function (c, i) {
      var r = results[i];
      c.nodes.forEach(function (id, k) { pos.set(id, { x: r.nodes[k][0] + MARGIN, y: r.nodes[k][1] + y0 }); });
      c.edges.forEach(function (e, k) {
        var pts = r.edges[k].map(function (p) { return { x: p[0] + MARGIN, y: p[1] + y0 }; });
        pts.bezier = !!r.bezier;
        points.set(e[0] + '\u0000' + e[1], pts);
      });
      width = Math.max(width, r.width);
      y0 += r.height + GAP;
    });
    return {
      nodes: pos,
      edges: edges.map(function (e) { return points.get(e[0] + '\u0000' + e[1]); }),
      width: width + 2 * MARGIN,
      height: Math.max(0, y0 - GAP) + MARGIN
    };
  }

  // ids: node ids; edges: [from, to] pairs; w, h: node box size; gv: a loaded Graphviz, or nothing for dagre.
  // An edge's points are a polyline, or cubic Bézier control points when the array's bezier flag is set.
  function layout(ids, edges, w, h, gv) {
    var parts = components(ids, edges);
    var big = ids.length > LARGE;
    return stack(edges, parts, parts.map(function (c) { return gv ? oneDot(gv, c, w, h, big) : one(c, w, h, big); }));
  }

  layout.components = components;
  layout.one = one;
  layout.oneDot = oneDot;
  layout.stack = stack;
  layout.LARGE = LARGE;
  return layout;
})();
