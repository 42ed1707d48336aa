// The layering of the mask module, read from the import statements: mask
// semantics (src/masks) sit above the interpreter and the engine, which never
// import them, and below the service and the extension, which it never imports.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

// static imports and re-exports (`import x from`, `export { x } from`, `import 'x'`),
// dynamic import() and require(): whatever pulls a module into the bundle
const IMPORT = /\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Each import of `file` as a path relative to the repository root (a package name stays as written). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    return spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : spec;
  });
}

function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(join(ROOT, dir)).flatMap((f) => importsOf(f).filter(forbidden).map((t) => `${relative(ROOT, f)} imports ${t}`));
}

const under = (prefix: string) => (target: string) => target === prefix || target.startsWith(prefix + '/');

test('the import scanner sees the imports it is meant to police', () => {
  // guards the test itself: a scanner that found nothing would pass every check below
  assert.ok(importsOf(join(ROOT, 'src/frameworks/torch/nn.ts')).includes('src/masks/checks'));
  assert.ok(importsOf(join(ROOT, 'src/frameworks/index.ts')).includes('src/masks/annotate'));
  assert.ok(importsOf(join(ROOT, 'src/masks/checks.ts')).includes('src/engine/diagnostics'));
  assert.ok(importsOf(join(ROOT, 'src/vscode/hoverMarkdown.ts')).includes('src/masks/consumers'));
});

test('neither the engine nor the interpreter imports the mask module', () => {
  assert.deepEqual(violations('src/engine', under('src/masks')), []);
  assert.deepEqual(violations('src/python', under('src/masks')), []);
  // and no mask file is left under the interpreter to be imported from there
  assert.deepEqual(readdirSync(join(ROOT, 'src/python')).filter((n) => /^mask/i.test(n)), []);
});

test('the mask module imports only downwards: no frameworks, service, extension or webview', () => {
  const up = (t: string) => t === 'vscode' || ['src/frameworks', 'src/service', 'src/vscode', 'src/web', 'webview', 'src/extension', 'src/host', 'src/cli'].some((p) => under(p)(t));
  assert.deepEqual(violations('src/masks', up), []);
});

test('the consumer vocabulary the webview bundles reads no engine module', () => {
  const own = importsOf(join(ROOT, 'src/masks/consumers.ts'));
  assert.deepEqual(own.filter(under('src/engine')), []);
  assert.deepEqual(importsOf(join(ROOT, 'src/masks/values.ts')).filter(under('src/engine')), []);
});
