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
// which test/e2e/setup.mjs installs). Each case is a node:test test here.
// Failures, never skips: a case that differs from its reference, a context
// that is not WebGL2, gpu.js not being created, and Chromium missing.
//
//   node test/browser/run.mjs            (after npm run build: the wasm module)
//   MASKLENS_CHROMIUM=/path/to/chrome node test/browser/run.mjs
//   MASKLENS_BROWSER_ARGS='--disable-webgl2' node test/browser/run.mjs   (fails: no WebGL2)

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = process.env.MASKLENS_CHROMIUM || '/usr/bin/chromium';
const swiftshader = process.env.MASKLENS_BROWSER_SWIFTSHADER !== '0';
/** More Chromium flags, space-separated (e.g. --disable-webgl2, to see the runner fail without WebGL2). */
const extraArgs = (process.env.MASKLENS_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean);
const PAGE_TIMEOUT_MS = Number(process.env.MASKLENS_BROWSER_TIMEOUT_MS) || 180_000;

/** The page's bundle, in memory. */
async function bundle() {
  const generated = path.join(repoRoot, 'src/engine/kernels/generated/kernels_wasm.js');
  if (!existsSync(generated)) throw new Error(`${generated} is missing: run npm run build first`);
  const r = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: ['test/browser/entry.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    // gpu.js's browser build never loads these; its Node entry (not used here) would.
    external: ['gl', 'webgpu'],
  });
  return r.outputFiles[0].text;
}

function serve(js) {
  const html = '<!doctype html><meta charset="utf-8"><title>Mask Lens backend table</title><script src="/table.js"></script>';
  const server = http.createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (req.url === '/table.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Bundle, open the page, run the table; everything the tests below check. */
async function runInChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run node test/e2e/setup.mjs (installs Debian's chromium) or set MASKLENS_CHROMIUM`);
  }
  const t0 = Date.now();
  const js = await bundle();
  const server = await serve(js);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-gpu-blocklist',
      // WebGL on ANGLE's SwiftShader backend, asked for by name so every machine tests the same renderer
      // (on this GPU-less machine Chromium falls back to it anyway).
      ...(swiftshader ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : []),
      ...extraArgs,
    ],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const fn = await page.evaluate(() => typeof globalThis.runBackendTable);
    if (fn !== 'function') throw new Error(`the page did not load the table bundle (runBackendTable is ${fn}): ${errors.join('; ')}`);
    const t1 = Date.now();
    // A wedged GL context must fail the run, not hang it (the table takes ~15 s on SwiftShader).
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the table did not finish in ${PAGE_TIMEOUT_MS / 1000} s`)), PAGE_TIMEOUT_MS);
    });
    const report = await Promise.race([page.evaluate(() => globalThis.runBackendTable()), timeout]).finally(() => clearTimeout(timer));
    report.seconds = { setup: (t1 - t0) / 1000, table: (Date.now() - t1) / 1000 };
    report.pageErrors = errors;
    report.browserVersion = browser.version();
    return report;
  } finally {
    await browser.close();
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
