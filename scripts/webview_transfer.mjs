// What crosses to the inspector webview for a large masked softmax view
// (issue #15), measured in headless Chromium: (a) the whole operands once,
// (a') the drawn view's operands (what the inspector does), (b) only the
// snippet's source, the engine running in a Web Worker. Time to the first
// view's probabilities, bytes crossed, and the peak resident memory of
// Chromium's processes (each way in a fresh browser; addedMb: the peak's
// growth from before the way started, the stand-in host already holding
// the whole operands). Figures only: it
// asserts nothing. src/bench/FINDINGS.md records a run.
//
//   npm run build && node scripts/webview_transfer.mjs [a a1 b]
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, launchChromium } from './chromium.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SNIPPET = `import torch
torch.manual_seed(0)
scores = torch.randn(8, 8, 1024, 1024)
lengths = torch.tensor([1024, 960, 896, 832, 768, 704, 640, 576])
key_padding_mask = torch.arange(1024)[None, :] >= lengths[:, None]
causal = torch.triu(torch.ones(1024, 1024, dtype=torch.bool), diagonal=1)
mask = key_padding_mask[:, None, None, :] | causal
probs = scores.masked_fill(mask, float('-inf')).softmax(dim=-1)
`;

/** Peak resident set (VmHWM) of every process descended from `root`, in MB: the sum, and the largest one. */
function peakRss(root) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {}
  }
  let sum = 0, max = 0;
  const walk = (pid) => {
    for (const c of children.get(pid) ?? []) {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${c}/status`, 'utf8'));
        const mb = m ? Number(m[1]) / 1024 : 0;
        sum += mb;
        max = Math.max(max, mb);
      } catch {}
      walk(c);
    }
  };
  walk(root);
  return { sumMb: Math.round(sum), largestMb: Math.round(max) };
}

const ways = process.argv.slice(2).length ? process.argv.slice(2) : ['a1', 'a', 'b'];
const { js } = await bundlePage(repoRoot, 'scripts/webview_transfer_page.ts');
const files = { '/page.js': js, '/gpu.js': readFileSync(path.join(repoRoot, 'dist/webview-gpu.js')), '/worker.js': readFileSync(path.join(repoRoot, 'dist/worker.js')) };
const server = http.createServer((req, res) => {
  const url = (req.url ?? '/').split('?')[0];
  if (url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script src="/page.js"></script>');
  else if (files[url]) res.writeHead(200, { 'content-type': 'text/javascript' }).end(files[url]);
  else res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const results = [];
for (const way of ways) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.evaluate((way) => globalThis.prepareTransfer('/gpu.js', way), way);
    const before = peakRss(process.pid);
    const m = await page.evaluate(([way, snippet]) => globalThis.measureTransfer('/gpu.js', '/worker.js', snippet, way), [way, SNIPPET]);
    const after = peakRss(process.pid);
    // what the way itself added: the stand-in host's own copy of the operands is in `before`
    m.peakRss = { ...after, addedMb: after.sumMb - before.sumMb };
    results.push(m);
    console.log(JSON.stringify(m));
  } catch (e) {
    console.log(JSON.stringify({ way, error: String(e) }));
  } finally {
    await browser.close();
  }
}
server.close();
