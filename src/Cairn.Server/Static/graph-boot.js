// Loads Graphviz (an ES module with WebAssembly inside) and announces it; graph.js waits for that. When it cannot load,
// loads dagre (a classic script) and announces null: graph.js then lays out with dagre. dagre is not loaded otherwise,
// so it costs the page nothing. A module script of its own (not inline) so the page's CSP allows no inline script.
try {
  const { Graphviz } = await import('/static/vendor/graphviz.js');
  const gv = await Graphviz.load();
  // One small layout while the graph JSON is still on its way: compiles dot's code paths before the real one.
  gv.layout('digraph{rankdir=LR;node[shape=box,fixedsize=true,label=""];a->b;a->c;b->d;c->d;x->d}', 'json0', 'dot');
  window.cairnGraphviz = gv;
} catch (e) {
  console.warn('graphviz did not load; laying out with dagre', e);
  await new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = '/static/vendor/dagre.min.js';
    s.addEventListener('load', ok);
    s.addEventListener('error', fail);
    document.head.append(s);
  });
  window.cairnGraphviz = null;
}
window.dispatchEvent(new Event('cairn-graphviz'));
