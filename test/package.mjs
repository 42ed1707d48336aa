// The .vsix as it ships: `vsce package` (which runs vscode:prepublish, the
// minified production build) must contain exactly the files below, and the
// package and its host bundle must each stay under 1 MB; the evaluation
// worker ships once, dist/worker.js, for both extension hosts (the web
// extension fetches it). `npm run test:package`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const MB = 1024 * 1024;

/** Every file the extension needs at run time, its manifest and its documents; nothing else. */
const EXPECTED = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/extension.js',
  'dist/host.js',
  'dist/web/extension.js',
  'dist/webview.js',
  // gpu.js for the inspector's large softmax views, loaded only when one is drawn (webview/gpu.ts)
  'dist/webview-gpu.js',
  'dist/worker.js',
  'media/icon.png',
  'media/inspector-icon.svg',
  'media/inspector.css',
  'media/screenshots/hover.png',
  'media/screenshots/inspector.png',
  'media/walkthrough/hover.md',
  'media/walkthrough/open-example.md',
  'media/walkthrough/preview.md',
  'media/walkthrough/settings.md',
  'package.json',
];

function vsceRun(args) {
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const outDir = mkdtempSync(path.join(tmpdir(), 'masklens-vsix-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

test('vsce package builds a .vsix under 1 MB with a host bundle under 1 MB', () => {
  const vsix = path.join(outDir, 'masklens.vsix');
  vsceRun(['package', '--no-rewrite-relative-links', '--out', vsix]);
  const size = (f) => statSync(path.join(repoRoot, f)).size;
  const sizes = { vsix: statSync(vsix).size, extension: size('dist/extension.js'), host: size('dist/host.js'), web: size('dist/web/extension.js') };
  process.stdout.write(`# vsix ${sizes.vsix} bytes, dist/extension.js ${sizes.extension} bytes, dist/host.js ${sizes.host} bytes, dist/web/extension.js ${sizes.web} bytes\n`);
  assert.ok(sizes.vsix < MB, `the .vsix is ${sizes.vsix} bytes`);
  assert.ok(sizes.extension + sizes.host < MB, `dist/extension.js and dist/host.js are ${sizes.extension + sizes.host} bytes`);
  // activation loads only the entry (issue #13): it registers, the host bundle does the rest
  assert.ok(sizes.extension < 8 * 1024, `dist/extension.js is ${sizes.extension} bytes`);
  // the web extension is the host side only: no second copy of the worker (engine, interpreter, frameworks) inside it
  assert.ok(sizes.web < 512 * 1024, `dist/web/extension.js is ${sizes.web} bytes`);
});

test('vsce ls lists exactly the files the extension ships', () => {
  const files = vsceRun(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean).sort();
  assert.deepEqual(files, [...EXPECTED].sort());
});

test("the README's settings table lists every setting, with its default", () => {
  const settings = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).contributes.configuration.properties;
  const rows = new Map(
    [...readFileSync(path.join(repoRoot, 'README.md'), 'utf8').matchAll(/^\| `(maskLens\.[\w.]+)` \| `([^`]*)` \|/gm)].map((m) => [m[1], m[2]]),
  );
  assert.deepEqual([...rows.keys()].sort(), Object.keys(settings).sort());
  for (const [name, spec] of Object.entries(settings)) {
    const shown = typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
    assert.equal(rows.get(name), shown, `${name}'s default in the README`);
  }
});
