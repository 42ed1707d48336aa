// Headless Chromium for code that must run in a page: `npm run test:browser`
// (test/browser/run.mjs: the backend table on gpu.js's WebGL2 kernels) and
// the benchmark's browser peer (src/bench/browser.ts: the workloads on
// gpu.js WebGL2, tfjs-webgl and tfjs-wasm). One place for the three steps
// both take:
//
//   bundlePage    esbuild bundles a TypeScript entry for the browser, in memory;
//   servePage     a local HTTP server serves it (and any static files) to one page;
//   launchChromium  playwright-core opens Debian's Chromium (/usr/bin/chromium,
//                 which test/e2e/setup.mjs installs) headless, with WebGL on
//                 ANGLE's SwiftShader asked for by name.
//
// esbuild and playwright-core are devDependencies, imported when first
// needed, so a bundle that includes this module loads without them.
//
// Environment: MASKLENS_CHROMIUM (the browser's path), MASKLENS_BROWSER_SWIFTSHADER=0
// (leave the GL choice to Chromium: a hardware context on a machine with a GPU),
// MASKLENS_BROWSER_ARGS (more Chromium flags, space-separated).

import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';

export const chromiumPath = process.env.MASKLENS_CHROMIUM || '/usr/bin/chromium';
/** Whether WebGL is asked to run on SwiftShader (so every machine measures and tests the same renderer). */
export const swiftshader = process.env.MASKLENS_BROWSER_SWIFTSHADER !== '0';
/** More Chromium flags, space-separated (e.g. --disable-webgl2, to see a runner fail without WebGL2). */
export const extraArgs = (process.env.MASKLENS_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean);

/** The flags Chromium is launched with. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--ignore-gpu-blocklist',
  // WebGL on ANGLE's SwiftShader backend, asked for by name so every machine gets the same renderer
  // (on a GPU-less machine Chromium falls back to it anyway).
  ...(swiftshader ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : []),
  ...extraArgs,
];

/**
 * Bundle `entry` (a path relative to repoRoot) for the browser as one
 * classic script, in memory. Packages named in `optional` that repoRoot's
 * node_modules lacks become modules that throw "<name> is not installed"
 * when imported, so a page can report a missing peer instead of the build
 * failing. The engine's wasm kernel module must be built (npm run build).
 */
export async function bundlePage(repoRoot, entry, { optional = [] } = {}) {
  const generated = path.join(repoRoot, 'src/engine/kernels/generated/kernels_wasm.js');
  if (!existsSync(generated)) throw new Error(`${generated} is missing: run npm run build first`);
  const esbuild = await import('esbuild');
  const req = createRequire(path.join(repoRoot, 'package.json'));
  const missing = optional.filter((name) => {
    try {
      req.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  const r = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    // gpu.js's browser build never loads these; its Node entry (not used here) would.
    external: ['gl', 'webgpu'],
    plugins: [
      {
        name: 'missing-optional',
        setup(build) {
          for (const name of missing) {
            const filter = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
            build.onResolve({ filter }, () => ({ path: name, namespace: 'missing-optional' }));
          }
          build.onLoad({ filter: /.*/, namespace: 'missing-optional' }, (a) => ({
            contents: `throw new Error(${JSON.stringify(`${a.path} is not installed (not in node_modules)`)});`,
          }));
        },
      },
    ],
  });
  return { js: r.outputFiles[0].text, missing };
}

/**
 * Serve one page at / that loads `js`, and the files in `files` (URL path
 * -> file path on disk). With `isolated`, every response carries the
 * cross-origin isolation headers, so the page has SharedArrayBuffer
 * (tfjs-wasm's threads need it). Resolves to the listening server; its
 * origin is `http://127.0.0.1:${server.address().port}`.
 */
export function servePage({ title, js, files = {}, isolated = false }) {
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title><script src="/page.js"></script>`;
  const headers = (type) => ({ 'content-type': type, ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}) });
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/') res.writeHead(200, headers('text/html')).end(html);
    else if (url === '/page.js') res.writeHead(200, headers('text/javascript')).end(js);
    else if (Object.hasOwn(files, url) && existsSync(files[url])) {
      const type = url.endsWith('.wasm') ? 'application/wasm' : url.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, headers(type)).end(readFileSync(files[url]));
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Launch headless Chromium (chromiumArgs); throws with what to do when it
 * is missing. Resolves to playwright-core's Browser.
 */
export async function launchChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run node test/e2e/setup.mjs (installs Debian's chromium) or set MASKLENS_CHROMIUM`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** `promise`, or a rejection with `what` once `ms` have passed (a wedged GL context must fail a run, not hang it). */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
