// `npm run test:browser` (with run.mjs): the inspector's GPU view in headless
// Chromium under the webview's strict CSP (a nonce, no 'unsafe-eval'),
// loading the shipped dist/webview-gpu.js as the inspector does. On this
// machine's SwiftShader (scripts/chromium.mjs asks for it): 'on' runs gpu.js
// and its probabilities match the CPU reference within the row checksum rule
// (src/render/checksum.ts), 'auto' refuses the software renderer, 'off' never
// loads gpu.js, and a reference that disagrees makes the page draw the CPU
// values. Any CSP violation fails.
//
//   npm run build && node --test test/browser/inspector_gpu.mjs
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundlePage, launchChromium, swiftshader, withTimeout } from '../../scripts/chromium.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gpuBundle = path.join(repoRoot, 'dist/webview-gpu.js');
const NONCE = 'bWFza2xlbnMtdGVzdA==';
// the inspector's script and eval rules (src/vscode/inspectorPanel.ts html()): a nonce, nothing else
const CSP = `default-src 'none'; script-src 'nonce-${NONCE}'`;

async function runPage() {
  if (!existsSync(gpuBundle)) throw new Error(`${gpuBundle} is missing: run npm run build first`);
  const { js } = await bundlePage(repoRoot, 'test/browser/inspector_gpu_entry.ts');
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><title>inspector gpu</title>
<script nonce="${NONCE}">window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));</script>
<script nonce="${NONCE}" src="/page.js"></script>`;
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (url === '/webview-gpu.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(gpuBundle));
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const report = await withTimeout(page.evaluate((nonce) => globalThis.runInspectorGpu('/webview-gpu.js', nonce), NONCE), 180000, 'the inspector GPU page');
    report.violations = await page.evaluate(() => window.cspViolations);
    report.pageErrors = errors;
    return report;
  } finally {
    await browser?.close();
    server.close();
  }
}

let report = null;
let failure = null;
try {
  report = await runPage();
  for (const c of report.cases) console.log(`[inspector-gpu] ${c.name}: ${c.by.label} (${c.by.checksum}${c.by.worstDiff !== undefined ? `, worst row ${c.by.worstDiff.toExponential(2)}` : ''}${c.maxDiff !== null ? `, max |gpu - cpu| ${c.maxDiff.toExponential(2)}` : ''}${c.by.gpuMs !== undefined ? `, gpu.js ${c.by.gpuMs.toFixed(0)} ms` : ''})`);
} catch (e) {
  failure = e;
}

const byName = (prefix) => report.cases.find((c) => c.name.startsWith(prefix));

test('the page ran under the strict CSP without a violation or an error', () => {
  if (failure) throw failure;
  assert.equal(report.error, null, report.error);
  assert.deepEqual(report.violations, [], 'gpu.js must not need eval or inline script');
  assert.deepEqual(report.pageErrors, []);
  assert.equal(report.cases.length, 6);
});

test("'on': gpu.js's probabilities match the CPU reference's row checksums (fully masked rows stay NaN)", () => {
  if (failure) throw failure;
  for (const c of report.cases.filter((x) => x.name.startsWith('on: 1024') || x.name.startsWith('on: 300'))) {
    assert.equal(c.by.backend, 'gpu', `${c.name}: ${c.by.detail}`);
    assert.equal(c.by.checksum, 'match', c.by.detail);
    assert.equal(c.gpuValues, true);
    assert.match(c.by.label, /^GPU: /);
    assert.equal(c.nanRowsAgree, true, `${c.name}: NaN rows differ`);
    // the checksum rule implies it for any one cell; a sanity check on the elements themselves
    assert.ok(c.maxDiff < 1e-4, `${c.name}: max |gpu - cpu| ${c.maxDiff}`);
    if (swiftshader) assert.match(c.by.renderer, /swiftshader/i);
  }
});

test('whatever gpu.js returns, the page never draws values that disagree with the CPU reference', () => {
  if (failure) throw failure;
  // gpu.js's softmax kernels lose fully masked rows under a large finite fill (its log-sum-exp
  // absorbs log(cols) into -1e9 in float32), which the checksums catch: the CPU values are drawn
  const c = byName('finite fill -1e9 with fully masked rows');
  if (c.gpuValues) assert.ok(c.by.checksum === 'match' && c.maxDiff < 1e-4, `${c.by.detail}, max |gpu - cpu| ${c.maxDiff}`);
  else assert.equal(c.by.checksum, 'mismatch', c.by.detail);
  for (const x of report.cases) if (x.gpuValues) assert.ok(x.by.checksum === 'match' && x.maxDiff < 1e-4 && x.nanRowsAgree, x.name);
});

test("'auto' refuses a software renderer, 'off' never runs gpu.js: both draw the worker's CPU values", () => {
  if (failure) throw failure;
  const auto = byName('auto:');
  if (swiftshader) {
    assert.equal(auto.by.backend, 'cpu');
    assert.equal(auto.by.label, 'CPU (software GL)');
    assert.equal(auto.gpuValues, false);
  }
  const off = byName('off:');
  assert.equal(off.by.backend, 'cpu');
  assert.equal(off.by.label, 'CPU');
  assert.equal(off.gpuValues, false);
});

test('a reference that disagrees with the GPU values in one row: the CPU values are drawn, the badge says mismatch', () => {
  if (failure) throw failure;
  const c = byName('on: a reference off');
  assert.equal(c.by.backend, 'cpu');
  assert.equal(c.by.checksum, 'mismatch');
  assert.equal(c.by.label, 'CPU (checksum mismatch)');
  assert.equal(c.gpuValues, false);
  assert.match(c.by.detail, /row 100/);
});
