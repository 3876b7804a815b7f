// CPU time of the web UI's layout (src/Cairn.Tasks/Graph/Layout/graph-layout.js: dagre per connected component) on the benchmark graph, to set
// beside the wall times measured in chromium. Usage: node layout-cpu.js <dagre.min.js> <graph.json> [runs]
const fs = require('fs');
const path = require('path');
eval(fs.readFileSync(process.argv[2], 'utf8') + ';globalThis.dagre=dagre;');
eval(fs.readFileSync(path.join(__dirname, '../../src/Cairn.Tasks/Graph/Layout/graph-layout.js'), 'utf8') + ';globalThis.cairnLayout=cairnLayout;');
const d = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const runs = +(process.argv[4] || 5), cpu = [], wall = [];
const ids = d.nodes.filter(n => !n.parent).map(n => n.id);
const shown = new Set(ids);
const edges = d.edges.filter(e => shown.has(e.from) && shown.has(e.to)).map(e => [e.from, e.to]);
for (let r = 0; r <= runs; r++) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  cairnLayout(ids, edges, 190, 46);
  const c = process.cpuUsage(c0), t = performance.now() - t0;
  if (r > 0) { cpu.push((c.user + c.system) / 1000); wall.push(t); }
}
const med = a => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`${ids.length} nodes, ${edges.length} edges: layout median CPU ${med(cpu).toFixed(0)} ms, wall ${med(wall).toFixed(0)} ms over ${runs} runs`);
