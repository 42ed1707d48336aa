// One esbuild pass per target: the extension host (node, cjs), its
// evaluation worker and gpu.js chunk, the web extension with its worker,
// the CLI, the benchmark, and the webview (browser).
//
//   node scripts/build.mjs                # development: every target, source maps
//   node scripts/build.mjs --production   # what the .vsix ships (vscode:prepublish):
//                                         # the extension, its worker and gpu.js chunk,
//                                         # the web extension and the webview,
//                                         # minified, no source maps
import { existsSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, logLevel: 'warning', target: 'es2022', ...(production ? { minify: true, sourcemap: false, legalComments: 'none' } : { sourcemap: 'linked' }) };
const node = { ...common, platform: 'node', format: 'cjs', loader: { '.py': 'text' } };
// gpu.js pulls optional native/WebGPU bindings it only needs when present.
const gpuExternals = ['gl', 'webgpu', '@webgpu/types'];

/**
 * gpu.js (1 MB) is its own chunk, dist/gpujs.js: the evaluation worker
 * requires it only when the engine asks for the gpu backend (in Node,
 * select.ts's "auto" never does: no WebGL there), so neither activation
 * nor an ordinary evaluation loads it.
 */
const gpuJsChunk = {
  name: 'gpu.js-chunk',
  setup(build) {
    build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: './gpujs.js', external: true }));
  },
};

/** The web build has no require() at run time: gpu.js is left out (gpuBackend() then returns null). */
const noGpuJs = {
  name: 'no-gpu.js',
  setup(build) {
    build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: 'gpu.js', namespace: 'no-gpu.js' }));
    build.onLoad({ filter: /.*/, namespace: 'no-gpu.js' }, () => ({ contents: "throw new Error('gpu.js is not part of the web extension');" }));
  },
};

/**
 * The web extension (package.json "browser"): its evaluation worker
 * (src/service/webWorkerMain.ts) is bundled first, in memory, and inlined
 * into dist/web/extension.js as the module 'masklens:web-worker-source',
 * which src/web/extension.ts starts from a blob: URL.
 */
async function buildWeb() {
  const worker = await esbuild.build({
    ...common,
    sourcemap: false,
    platform: 'browser',
    format: 'iife',
    entryPoints: ['src/service/webWorkerMain.ts'],
    write: false,
    outfile: 'web-worker.js',
    plugins: [noGpuJs],
  });
  const source = worker.outputFiles[0].text;
  const workerSource = {
    name: 'web-worker-source',
    setup(build) {
      build.onResolve({ filter: /^masklens:web-worker-source$/ }, () => ({ path: 'web-worker-source', namespace: 'web-worker-source' }));
      build.onLoad({ filter: /.*/, namespace: 'web-worker-source' }, () => ({ contents: source, loader: 'text' }));
    },
  };
  await esbuild.build({
    ...common,
    platform: 'browser',
    format: 'cjs',
    loader: { '.py': 'text' },
    entryPoints: ['src/web/extension.ts'],
    outfile: 'dist/web/extension.js',
    external: ['vscode'],
    plugins: [workerSource],
  });
}

const builds = [
  buildWeb(),
  esbuild.build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...node, entryPoints: ['src/service/worker.ts'], outfile: 'dist/worker.js', plugins: [gpuJsChunk] }),
  esbuild.build({
    ...node,
    stdin: { contents: "module.exports = require('gpu.js');", resolveDir: '.', sourcefile: 'gpujs-chunk.js' },
    outfile: 'dist/gpujs.js',
    external: gpuExternals,
  }),
  esbuild.build({ ...common, platform: 'browser', format: 'iife', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' }),
];
if (!production) {
  builds.push(
    esbuild.build({ ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', external: gpuExternals, banner: { js: '#!/usr/bin/env node' } }),
    existsSync('src/bench.ts') && esbuild.build({ ...node, entryPoints: ['src/bench.ts'], outfile: 'dist/bench.js', external: [...gpuExternals, '@tensorflow/*'] }),
  );
} else {
  // Source maps of an earlier development build would no longer match.
  for (const f of ['extension', 'worker', 'gpujs', 'webview', 'web/extension']) rmSync(`dist/${f}.js.map`, { force: true });
}
await Promise.all(builds);
