// One esbuild pass per target: the extension host (node, cjs) in three
// chunks (glue, evaluator, gpu.js), the web extension, the CLI, the
// benchmark, and the webview (browser).
//
//   node scripts/build.mjs                # development: every target, source maps
//   node scripts/build.mjs --production   # what the .vsix ships (vscode:prepublish):
//                                         # the extension with its evaluator and gpu.js
//                                         # chunks, the web extension and the webview,
//                                         # minified, without source maps
import { existsSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, logLevel: 'warning', target: 'es2022', ...(production ? { minify: true, sourcemap: false, legalComments: 'none' } : { sourcemap: 'linked' }) };
const node = { ...common, platform: 'node', format: 'cjs', loader: { '.py': 'text' } };
// gpu.js pulls optional native/WebGPU bindings it only needs when present.
const gpuExternals = ['gl', 'webgpu', '@webgpu/types'];

/**
 * In the extension host gpu.js (1 MB) can reach no GPU (no WebGL in Node),
 * and the engine loads it only when maskLens.backend is "gpu" (see
 * engine/kernels/select.ts). So the host bundle leaves it out and
 * `require('gpu.js')` loads dist/gpujs.js, built below, at that moment.
 */
const gpuJsChunk = {
  name: 'gpu.js-chunk',
  setup(build) {
    build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: './gpujs.js', external: true }));
  },
};

/**
 * Activation loads only the VS Code glue: the evaluator (interpreter,
 * frameworks, engine, parser) is dist/evaluator.js, which
 * src/vscode/evaluatorLoader.ts requires on the first evaluation.
 */
const evaluatorChunk = {
  name: 'evaluator-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/evaluator$/ }, (args) =>
      args.importer.endsWith('evaluatorLoader.ts') ? { path: './evaluator.js', external: true } : undefined,
    );
  },
};

/** The web extension host has no require(): gpu.js is left out there (gpuBackend() then returns null). */
const noGpuJs = {
  name: 'no-gpu.js',
  setup(build) {
    build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: 'gpu.js', namespace: 'no-gpu.js' }));
    build.onLoad({ filter: /.*/, namespace: 'no-gpu.js' }, () => ({ contents: "throw new Error('gpu.js is not part of the web extension');" }));
  },
};

const builds = [
  esbuild.build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [evaluatorChunk, gpuJsChunk] }),
  // package.json "browser": vscode.dev, github.dev, and any web extension host (itself a Web Worker).
  esbuild.build({
    ...common,
    platform: 'browser',
    format: 'cjs',
    loader: { '.py': 'text' },
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/web/extension.js',
    external: ['vscode'],
    plugins: [noGpuJs],
  }),
  esbuild.build({ ...node, entryPoints: ['src/vscode/evaluator.ts'], outfile: 'dist/evaluator.js', plugins: [gpuJsChunk] }),
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
  for (const f of ['extension', 'evaluator', 'gpujs', 'webview', 'web/extension']) rmSync(`dist/${f}.js.map`, { force: true });
}
await Promise.all(builds);
