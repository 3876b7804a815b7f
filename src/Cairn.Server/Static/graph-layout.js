// Workflow graph layout, shared by the web UI (graph.js, graph-worker.js) and the server's SVG/PNG export (Jint runs
// this same file). dagre lays out each weakly connected component on its own; the laid-out components are then stacked
// top to bottom, largest first. A workspace is mostly independent lineages, so the components are also the unit of
// parallel work: the web UI hands them to two Web Workers when the graph is large (bench/Cairn.Bench.Graph).
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
        points.set(e[0] + '\u0000' + e[1], r.edges[k].map(function (p) { return { x: p[0] + MARGIN, y: p[1] + y0 }; }));
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

  // ids: node ids; edges: [from, to] pairs; w, h: node box size. Synchronous, on this thread.
  function layout(ids, edges, w, h) {
    var parts = components(ids, edges);
    var big = ids.length > LARGE;
    return stack(edges, parts, parts.map(function (c) { return one(c, w, h, big); }));
  }

  layout.components = components;
  layout.one = one;
  layout.stack = stack;
  layout.LARGE = LARGE;
  return layout;
})();
