// The snippet interpreter: Python semantics, Python-worded errors with lines,
// and previews that survive bad statements.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';

const run = (src: string, opts = {}) => evaluate(src, opts);

test('python values and printing', () => {
  const r = run(`
xs = [1, 2.5, True, None, "a'b"]
d = {"k": (1,), "n": 1e-05}
print(xs, d, 7 // 2, -7 // 2, 7 / 2, 2 ** 10, 1e16)
s = sum(x * x for x in range(4) if x % 2)
print(f"{s:>4}|{3.14159:.2f}|{'x'!r}", "%d-%s" % (3, "z"))
`);
  assert.equal(r.error, null);
  assert.equal(r.stdout, `[1, 2.5, True, None, "a'b"] {'k': (1,), 'n': 1e-05} 3 -4 3.5 1024 1e+16\n  10|3.14|'x' 3-z\n`);
  assert.deepEqual(r.variables.s, { type: 'int', value: 10 });
});

test('functions, closures, classes and super()', () => {
  const r = run(`
def make(k):
    def add(x, y=1):
        return x + y + k
    return add
class Base:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v
class Child(Base):
    def __init__(self, v):
        super().__init__(v * 2)
out = make(10)(1), Child(3).get()
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.variables.out, { type: 'tuple', items: [{ type: 'int', value: 12 }, { type: 'int', value: 6 }] });
});

test('errors carry Python wording and the innermost line', () => {
  const r = run(`import torch
x = torch.ones(2, 3)

def f(t):
    return t.unsequeeze(0)

y = f(x)
z = 1
`);
  assert.deepEqual(
    { type: r.error?.type, message: r.error?.message, line: r.error?.line },
    { type: 'AttributeError', message: "'Tensor' object has no attribute 'unsequeeze'", line: 5 },
  );
  assert.ok(!('z' in r.variables), 'Python stops at the first error');
  assert.ok('x' in r.variables);
});

test('preview mode keeps going after a failing statement', () => {
  const r = run(`import torch
a = torch.ones(2, 4) + torch.ones(2, 3)
b = torch.tril(torch.ones(3, 3)).bool()
`, { continueAfterError: true, recordTimeline: true });
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].type, 'RuntimeError');
  assert.equal(r.errors[0].message, 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1');
  assert.equal(r.errors[0].line, 2);
  assert.ok('b' in r.variables);
  assert.equal(r.timeline.find((s) => s.name === 'b')?.mask, 'causal');
});

test('a syntax error in one statement does not hide the rest in preview mode', () => {
  const src = `import torch
m = torch.ones(2, 2)
x = (1,
y = m.sum()
`;
  const strict = run(src);
  assert.equal(strict.error?.type, 'SyntaxError');
  assert.deepEqual(strict.variables, {});
  const preview = run(src, { continueAfterError: true });
  assert.ok(preview.errors.some((e) => e.type === 'SyntaxError'));
  assert.ok('m' in preview.variables);
});

test('infinite loops stop with a clear error', () => {
  const r = run('i = 0\nwhile True:\n    i += 1\n', { maxSteps: 10_000 });
  assert.equal(r.error?.type, 'TimeoutError');
  assert.equal(r.error?.line, 3);
  assert.match(r.error?.message ?? '', /infinite loop/);
});

test('unsupported modules and names are ordinary Python errors', () => {
  assert.equal(run('print(undefined_name)').error?.message, "name 'undefined_name' is not defined");
  assert.equal(run('x = {}["k"]').error?.type, 'KeyError');
  assert.equal(run('x = 1 / 0').error?.message, 'division by zero');
});

test('try/except catches engine errors as Python exceptions', () => {
  const r = run(`import torch
try:
    torch.ones(2, 4) @ torch.ones(3, 5)
except RuntimeError as e:
    msg = str(e)
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.variables.msg, { type: 'str', value: 'mat1 and mat2 shapes cannot be multiplied (2x4 and 3x5)' });
});

test('Keras and TensorFlow names Mask Lens lacks are NotImplementedError, under either spelling', () => {
  const mha = run('import keras\nx = 1\nlayer = keras.layers.Conv1D(2, 3)\n');
  assert.deepEqual([mha.error?.type, mha.error?.message, mha.error?.line], ['NotImplementedError', 'keras.layers.Conv1D is not supported by Mask Lens yet', 3]);
  const tfk = run('import tensorflow as tf\nlayer = tf.keras.layers.Attention()\n');
  assert.deepEqual([tfk.error?.type, tfk.error?.message], ['NotImplementedError', 'keras.layers.Attention is not supported by Mask Lens yet']);
  assert.equal(run('import tensorflow as tf\ns = tf.sparse').error?.message, 'tensorflow.sparse is not supported by Mask Lens yet');
  assert.equal(run('import tensorflow as tf\ny = tf.math.bessel_i0').error?.type, 'NotImplementedError');
  assert.equal(run('import keras\nkeras.layers.MultiHeadAtention').error?.type, 'AttributeError');
});

test('torch.optim optimizers construct cleanly; step() says it needs autograd', () => {
  const r = run('import torch\nmodel = torch.nn.Linear(2, 2)\nopt = torch.optim.AdamW(model.parameters(), lr=1e-3)\nopt.zero_grad()\nopt.step()\n');
  assert.deepEqual([r.error?.type, r.error?.line], ['NotImplementedError', 5]);
  assert.match(r.error!.message, /^torch\.optim\.AdamW\.step is not supported by Mask Lens yet/);
  const bad = run('import torch\nopt = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(), lr=-1)\n');
  assert.deepEqual([bad.error?.type, bad.error?.message, bad.error?.line], ['ValueError', 'Invalid learning rate: -1', 2]);
  const sd = run('import torch\nopt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)\nsd = opt.state_dict()\n');
  assert.deepEqual([sd.error?.type, sd.error?.message], ['NotImplementedError', 'torch.optim.SGD.state_dict is not supported by Mask Lens yet']);
  assert.equal(run('import torch\nopt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)\nopt.stepp').error?.type, 'AttributeError');
});

test('fully masked rows become a diagnostic', () => {
  const r = run(`import torch
scores = torch.zeros(2, 3)
mask = torch.tensor([[False, True, True], [True, True, True]])
probs = torch.softmax(scores.masked_fill(mask, float('-inf')), dim=-1)
`, { recordTimeline: true });
  const d = r.diagnostics.find((x) => x.code === 'fully-masked-row');
  assert.ok(d, 'expected a fully-masked-row diagnostic');
  assert.equal(d.line, 4);
  assert.equal(d.variable, 'probs');
});

test('what the real library has but Mask Lens lacks is NotImplementedError, typos stay AttributeError', () => {
  const gap = run('import torch\ny = torch.ones(2).backward()\n');
  assert.deepEqual([gap.error?.type, gap.error?.message, gap.error?.line], ['NotImplementedError', 'torch.Tensor.backward is not supported by Mask Lens yet', 2]);
  assert.equal(run('import torch.optim as optim').error, null);
  const use = run('import torch.optim as optim\nx = 1\nopt = optim.LBFGS([])\n');
  assert.deepEqual([use.error?.type, use.error?.message, use.error?.line], ['NotImplementedError', 'torch.optim.LBFGS is not supported by Mask Lens yet', 3]);
  assert.equal(run('import torch\nprint(hasattr(torch.ones(1), "backward"))').stdout, 'True\n');
  assert.equal(run('import torch\ntorch.ones(1).unsequeeze(0)').error?.type, 'AttributeError');
});
