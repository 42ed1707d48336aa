// `npm run test:browser`: the backend test table (test/unit/backend_cases.ts)
// on gpu.js's WebGL2 kernels in headless Chromium, where a webview would run
// them. Chromium here has no GPU, and the runner asks for SwiftShader (ANGLE's
// software Vulkan) in any case, so the renderer that select.ts's auto rule
// must refuse is the one tested; MASKLENS_BROWSER_SWIFTSHADER=0 leaves the
// choice to Chromium (a hardware context on a machine with a GPU).
//
// esbuild bundles test/browser/entry.ts for the browser (gpu.js's browser
// build, the engine, the cases) into memory; a local HTTP server serves it to
// a page that playwright-core opens in Debian's Chromium (/usr/bin/chromium,
// which test/e2e/setup.mjs installs): scripts/chromium.mjs, which the
// benchmark's browser peer shares. Each case is a node:test test here.
// Failures, never skips: a case that differs from its reference, a context
// that is not WebGL2, gpu.js not being created, and Chromium missing.
//
//   node test/browser/run.mjs            (after npm run build: the wasm module)
//   MASKLENS_CHROMIUM=/path/to/chrome node test/browser/run.mjs
//   MASKLENS_BROWSER_ARGS='--disable-webgl2' node test/browser/run.mjs   (fails: no WebGL2)

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundlePage, launchChromium, servePage, swiftshader, withTimeout } from '../../scripts/chromium.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE_TIMEOUT_MS = Number(process.env.MASKLENS_BROWSER_TIMEOUT_MS) || 180_000;

/** Bundle, open the page, run the table; everything the tests below check. */
async function runInChromium() {
  const t0 = Date.now();
  const { js } = await bundlePage(repoRoot, 'test/browser/entry.ts');
  const server = await servePage({ title: 'Mask Lens backend table', js });
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const fn = await page.evaluate(() => typeof globalThis.runBackendTable);
    if (fn !== 'function') throw new Error(`the page did not load the table bundle (runBackendTable is ${fn}): ${errors.join('; ')}`);
    const t1 = Date.now();
    // The table takes ~15 s on SwiftShader.
    const report = await withTimeout(page.evaluate(() => globalThis.runBackendTable()), PAGE_TIMEOUT_MS, 'the table');
    report.seconds = { setup: (t1 - t0) / 1000, table: (Date.now() - t1) / 1000 };
    report.pageErrors = errors;
    report.browserVersion = browser.version();
    return report;
  } finally {
    await browser?.close();
    server.close();
  }
}

let report = null;
let launchError = null;
try {
  report = await runInChromium();
} catch (e) {
  launchError = e;
}

if (report) {
  const { subjects, auto, timings, seconds } = report;
  console.log(`[browser] Chromium ${report.browserVersion}; bundle and launch ${seconds.setup.toFixed(1)} s, page ${seconds.table.toFixed(1)} s`);
  for (const s of subjects) console.log(`[browser] ${s.subject}: mode ${s.mode}, context ${s.context}, renderer ${JSON.stringify(s.renderer)}${s.error ? `, error ${s.error}` : ''}`);
  const bySubject = new Map();
  for (const c of report.cases) bySubject.set(c.subject, (bySubject.get(c.subject) ?? 0) + c.ms);
  for (const [s, ms] of bySubject) console.log(`[browser] ${s}: table ${(ms / 1000).toFixed(2)} s`);
  console.log(`[browser] auto rule: large float32 -> ${auto.large}, small -> ${auto.small}, active ${auto.active}; gpu.js ${auto.gpuMode} on ${JSON.stringify(auto.gpuRenderer)}, accelerated ${auto.accelerated}`);
  for (const t of timings) console.log(`[browser] timing ${t.name}: gpu.js webgl2 ${t.gpuMs.toFixed(1)} ms, CPU reference ${t.cpuMs.toFixed(1)} ms (max |diff| ${t.maxDiff.toExponential(2)})`);
  if (report.timingError) console.log(`[browser] timing failed: ${report.timingError}`);
}

test('Chromium opens the page and gpu.js runs on a WebGL2 context', () => {
  if (launchError) throw launchError;
  assert.deepEqual(report.pageErrors, [], 'uncaught errors in the page');
  assert.equal(report.subjects.length, 2);
  for (const s of report.subjects) {
    assert.equal(s.error, null, `${s.subject}: ${s.error}`);
    assert.equal(s.mode, 'webgl2', `${s.subject}: gpu.js ran its ${s.mode} kernels, not WebGL2`);
    assert.equal(s.context, 'WebGL2RenderingContext', `${s.subject}: context ${s.context}`);
    assert.ok(s.renderer, `${s.subject}: the context reports no renderer`);
    if (swiftshader) assert.match(s.renderer, /swiftshader/i, `${s.subject}: SwiftShader was asked for`);
  }
  assert.ok(report.caseCount > 50, `the table has only ${report.caseCount} cases`);
  assert.equal(report.cases.length, 3 * report.caseCount, 'every case ran on both gpu.js subjects and the CPU reference');
});

test("select.ts's auto rule in the page: a software renderer is not accelerated, so large float32 work goes to wasm and small to the CPU", () => {
  if (launchError) throw launchError;
  const { auto } = report;
  assert.equal(auto.error, null, auto.error);
  assert.equal(auto.hasGraphicsApi, true, 'the page has WebGL2RenderingContext');
  assert.equal(auto.gpuMode, 'webgl2', 'auto probed gpu.js and found its WebGL2 context');
  // The oracle names the software renderers Chromium falls back to, independently of select.ts's list.
  if (/swiftshader|llvmpipe/i.test(auto.gpuRenderer ?? '')) {
    assert.equal(auto.accelerated, false, `renderer ${auto.gpuRenderer} counted as accelerated`);
    assert.equal(auto.large, 'wasm', 'auto took gpu.js on a software renderer');
    assert.equal(auto.small, 'cpu');
    assert.equal(auto.active, 'wasm');
  } else {
    // A hardware renderer (only with MASKLENS_BROWSER_SWIFTSHADER=0 on a machine with a GPU).
    assert.equal(auto.accelerated, true);
    assert.equal(auto.large, 'gpu');
  }
});

for (const c of report?.cases ?? []) {
  test(`${c.subject}: ${c.name}`, () => {
    if (c.error) throw new Error(c.error);
  });
}
