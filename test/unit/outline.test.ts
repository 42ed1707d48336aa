// The parse-only outline the CodeLenses are placed from (before any
// evaluation) gives the same functions on the same lines as the evaluation's
// RunResult.functions, so a lens never moves when the evaluation finishes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { defLines } from '../../src/python/outline';

const dir = join(__dirname, '../../examples');

test('defLines matches the evaluation\'s functions (name and line) in every example with a def', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.py') && readFileSync(join(dir, f), 'utf8').includes('def '));
  assert.ok(files.length >= 5, `${files.length} examples`);
  for (const f of files) {
    const source = readFileSync(join(dir, f), 'utf8');
    const evaluated = (evaluate(source, { recordTimeline: true, continueAfterError: true }).functions ?? []).map((x) => [x.function, x.line]);
    assert.deepEqual(defLines(source).map((x) => [x.function, x.line]), evaluated, f);
  }
});

test('defLines: decorated, nested, methods, async, and a def after a syntax error', () => {
  const source = `import torch

@torch.no_grad()
def make(x):
    def inner(y):
        return y
    return inner(x)

class Attn(torch.nn.Module):
    async def forward(self, q):
        return q

x = (
def after():
    pass
`;
  assert.deepEqual(defLines(source), [
    { function: 'make', line: 4 },
    { function: 'make.<locals>.inner', line: 5 },
    { function: 'Attn.forward', line: 10 },
    { function: 'after', line: 14 },
  ]);
});

test('forEachDef: one walk gives each def its qualified name and whether a class body holds it', async () => {
  const { forEachDef, qualifiedNames } = await import('../../src/python/outline');
  const { parseModule } = await import('../../src/python/parse');
  const body = parseModule(`class A:
    def f(self):
        class B:
            def g(self):
                pass
    if True:
        def h(self):
            pass
def outer():
    for i in range(2):
        def inner():
            pass
`).body;
  const seen: [string, boolean][] = [];
  forEachDef(body, (def, inClass, qualname) => seen.push([qualname, inClass]));
  assert.deepEqual(seen, [['A.f', true], ['A.f.<locals>.B.g', true], ['A.h', false], ['outer', false], ['outer.<locals>.inner', false]]);
  assert.deepEqual([...qualifiedNames(body).values()], seen.map(([q]) => q));
});
