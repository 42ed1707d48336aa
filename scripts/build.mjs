// One esbuild pass per target: the extension host (node, cjs), the CLI,
// the benchmark, and the webview (browser).
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', target: 'es2022' };
const node = { ...common, platform: 'node', format: 'cjs' };
// gpu.js pulls optional native/WebGPU bindings it only needs when present.
const gpuExternals = ['gl', 'webgpu', '@webgpu/types'];

await Promise.all([
  esbuild.build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...gpuExternals] }),
  esbuild.build({ ...node, entryPoints: ['src/service/worker.ts'], outfile: 'dist/worker.js', external: gpuExternals }),
  esbuild.build({ ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', external: gpuExternals, banner: { js: '#!/usr/bin/env node' } }),
  existsSync('src/bench.ts') && esbuild.build({ ...node, entryPoints: ['src/bench.ts'], outfile: 'dist/bench.js', external: [...gpuExternals, '@tensorflow/*'] }),
  esbuild.build({ ...common, platform: 'browser', format: 'iife', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' }),
]);
