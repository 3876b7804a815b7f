// CPU time of the web UI's dagre layout on the benchmark graph (same options as graph.js), to set beside the wall times
// measured in chromium on a shared machine.
const fs = require('fs');
eval(fs.readFileSync(process.argv[2], 'utf8') + ';globalThis.dagre=dagre;');
const d = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const runs = +(process.argv[4] || 5), cpu = [], wall = [];
for (let r = 0; r <= runs; r++) {
  const big = d.nodes.length > 400;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 70, marginx: 10, marginy: 10, ranker: big ? 'tight-tree' : 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  d.nodes.forEach(n => g.setNode(n.id, { width: 190, height: 46 }));
  d.edges.forEach(e => g.setEdge(e.from, e.to));
  const c0 = process.cpuUsage(), t0 = performance.now();
  dagre.layout(g, { disableOptimalOrderHeuristic: big });
  const c = process.cpuUsage(c0), t = performance.now() - t0;
  if (r > 0) { cpu.push((c.user + c.system) / 1000); wall.push(t); }
}
const med = a => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`${d.nodes.length} nodes, ${d.edges.length} edges: dagre layout median CPU ${med(cpu).toFixed(0)} ms, wall ${med(wall).toFixed(0)} ms over ${runs} runs`);
