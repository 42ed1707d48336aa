// The layering, read from the import statements: the engine knows nothing of
// Python, masks or VS Code; the interpreter (src/python) knows no framework;
// mask semantics (src/masks) sit above the interpreter and the engine, which
// never import them, and below the service and the extension, which it never
// imports. Arrows point down.
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
  assert.ok(importsOf(join(ROOT, 'src/service/evaluate.ts')).includes('src/frameworks'));
  assert.ok(importsOf(join(ROOT, 'src/python/index.ts')).includes('src/engine/context'));
  assert.ok(importsOf(join(ROOT, 'src/engine/provenance.ts')).includes('src/engine/context'));
});

/** A target in one of these folders, or the `vscode` API: the layers above the one checked. */
const above = (...prefixes: string[]) => (t: string) => t === 'vscode' || prefixes.some((p) => under(p)(t));

test('the interpreter knows no framework: src/python imports no framework, mask, service or extension module', () => {
  // frameworks register into an evaluation (src/frameworks/index.ts's registerFrameworks, composed in src/service/evaluate.ts)
  assert.deepEqual(violations('src/python', above('src/frameworks', 'src/masks', 'src/service', 'src/vscode', 'src/web', 'webview', 'src/extension', 'src/host', 'src/cli', 'src/bench')), []);
});

test("the interpreter reads no framework's private attribute names (a Keras mask reaches the recorder through TensorValue.carriedTensors)", () => {
  const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const named = sourceFiles(join(ROOT, 'src/python')).filter((f) => /_keras_mask|_keras_history/.test(code(f))).map((f) => relative(ROOT, f));
  assert.deepEqual(named, []);
  // guards the test: the name is where it belongs
  assert.match(code(join(ROOT, 'src/frameworks/tensorflow/index.ts')), /_keras_mask/);
});

test('the engine knows nothing of Python, frameworks, masks or VS Code', () => {
  assert.deepEqual(violations('src/engine', above('src/python', 'src/frameworks', 'src/masks', 'src/service', 'src/vscode', 'src/web', 'webview', 'src/extension', 'src/host', 'src/cli', 'src/bench')), []);
});

test('one name per meaning: no function is exported under the same name by two modules of the engine, the interpreter and the mask module', () => {
  // a storage's mask history (masks/evidence.ts hasMaskHistory) and whether a value may be called a mask (masks/classify.ts mayBeMask) were both hasMaskEvidence
  const owners = new Map<string, string[]>();
  for (const dir of ['src/engine', 'src/python', 'src/masks']) {
    for (const f of sourceFiles(join(ROOT, dir))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/^export (?:async )?function\*? ?(\w+)/gm)) {
        const files = owners.get(m[1]) ?? [];
        if (!files.includes(relative(ROOT, f))) owners.set(m[1], [...files, relative(ROOT, f)]);
      }
    }
  }
  assert.ok(owners.has('hasMaskHistory') && owners.has('mayBeMask') && owners.has('derivationOf'), 'the scan finds exported functions');
  assert.deepEqual([...owners].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`), []);
});

test('the engine\'s provenance record is neutral: what op made a storage, no mask reading', () => {
  const exported = [...readFileSync(join(ROOT, 'src/engine/provenance.ts'), 'utf8').matchAll(/^export (?:function|const|type|interface) (\w+)/gm)].map((m) => m[1]);
  assert.ok(exported.includes('noteDerivation'));
  assert.deepEqual(exported.filter((n) => /mask|blocking/i.test(n)), []);
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
