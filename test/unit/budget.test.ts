// Budgets, JS-error mapping and evaluation isolation (issue #16): every
// allocation over the element budget is Python's MemoryError naming the
// setting; JS failures become the exception Python would raise; no JS name
// is visible on a Python value; one evaluation's state never reaches another.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EvalContext, currentContext, withContext } from '../../src/engine/context';
import { cpuBackend } from '../../src/engine/kernels/cpu';
import { evaluate } from '../../src/service/evaluate';
import type { PyErrorInfo } from '../../src/python/result';

const errorsOf = (src: string, opts = {}): PyErrorInfo[] => evaluate(src, { continueAfterError: true, ...opts }).errors;
const only = (src: string, opts = {}): PyErrorInfo => {
  const errors = errorsOf(src, opts);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  return errors[0];
};

test('over-budget allocations are MemoryError naming the size and the setting', () => {
  const opts = { maxElements: 1000, budgetSetting: 'maskLens.evaluation.maxElements' };
  const cases: [string, string][] = [
    ['import torch\nx = torch.zeros(100, 100)', 'a tensor of 10000 elements'],
    ['import torch\nx = torch.zeros(10, 10) + torch.zeros(100, 1, 1)', 'a tensor of 10000 elements'],
    ['import torch\nx = torch.arange(10**8)', 'a tensor of 100000000 elements'],
    ['import numpy as np\nx = np.ones((50, 50))', 'a tensor of 2500 elements'],
    ['x = [0] * 10**9', 'a list of 1000000000 items'],
    ['x = (1, 2) * 600', 'a tuple of 1200 items'],
    ["x = 'a' * 10**9", 'a str of 1000000000 characters'],
    ["x = f'{1:>5000}'", 'a str of 5000 characters'],
    ["x = 'ab'.center(10**10)", 'a str of 10000000000 characters'],
    ['x = 2 ** (10**8)', 'an int of 100000001 bits'],
    ['x = 1 << 5000', 'an int of 5001 bits'],
    ['x = list(range(2000))', 'a list of 2000 items'],
    ['x = [1]\nfor i in range(20):\n    x = x + x', 'a list of 1024 items'],
    ['x = [1]\nfor i in range(20):\n    x += x', 'a list of 1024 items'],
    ['import torch\nx = torch.ones(2)\nfor i in range(1000):\n    x = torch.cat([x, x])', 'a tensor of 1024 elements'],
    // random draws and broadcast parameters are built before the result: checked before them (fuzz seed 4106: 15 GB)
    ['import numpy as np\nx = np.random.poisson(12.5, size=(2, 10**9))', 'a tensor of 2000000000 elements'],
    ['import numpy as np\nx = np.random.default_rng(0).binomial(1, 0.5, size=10**9)', 'a tensor of 1000000000 elements'],
    ['import torch\nx = torch.rand(10**9)', 'a tensor of 1000000000 elements'],
    ['import torch\nx = torch.randint(0, 5, (10**9,))', 'a tensor of 1000000000 elements'],
    ['import torch\nx = torch.randperm(10**9)', 'a tensor of 1000000000 elements'],
    ['import torch\nx = torch.normal(0.0, 1.0, size=(10**9,))', 'a tensor of 1000000000 elements'],
    ['import torch\nx = torch.ones(10).repeat_interleave(10**8)', 'a tensor of 1000000000 elements'],
  ];
  for (const [src, what] of cases) {
    const e = only(src, opts);
    assert.equal(e.type, 'MemoryError', src);
    assert.equal(e.message, `${what} exceeds the Mask Lens budget of 1000 elements (setting maskLens.evaluation.maxElements)`, src);
    assert.ok(e.line > 0, src);
  }
});

test('within the budget nothing changes', () => {
  const r = evaluate('x = [0] * 1000\ns = "ab" * 500\nn = 2 ** 999\nm = (-1) ** (10**30)\nk = 1 ** (10**30)', { maxElements: 1000 });
  assert.equal(r.error, null);
  assert.equal(r.variables.m.type === 'int' && r.variables.m.value, 1);
});

test('negative sizes use ATen wording', () => {
  assert.deepEqual(
    [only('import torch\na = torch.ones(-100, 4)'), only('import torch\nm = torch.ones(2, 2).repeat(-100, 2)'), only('import torch\nm = torch.empty(3, -4)')]
      .map((e) => `${e.type}: ${e.message}`),
    [
      'RuntimeError: Trying to create tensor with negative dimension -100: [-100, 4]',
      'RuntimeError: Trying to create tensor with negative dimension -200: [-200, 4]',
      'RuntimeError: Trying to create tensor with negative dimension -4: [3, -4]',
    ],
  );
});

test('JS failures become the exception Python raises', () => {
  const cases: [string, string][] = [
    ['import torch\nb = int(torch.tensor([1e308]) * 10)', 'OverflowError: cannot convert float infinity to integer'],
    ["b = int(float('nan'))", 'ValueError: cannot convert float NaN to integer'],
    ['c = 2**31**31', 'MemoryError: an int of 17069174130723235958610643029059314756044734432 bits exceeds the Mask Lens budget of 134217728 elements (setting maxElements)'],
    ['c = 1 << -1', 'ValueError: negative shift count'],
    ['c = [0] * 10**20', "OverflowError: cannot fit 'int' into an index-sized integer"],
  ];
  for (const [src, want] of cases) {
    const e = only(src);
    assert.equal(`${e.type}: ${e.message}`, want, src);
  }
  assert.deepEqual(evaluate('c = 1 >> 10**30\nd = -5 >> 10**30').variables, { c: { type: 'int', value: 0 }, d: { type: 'int', value: -1 } });
});

test('a caught RecursionError leaves the depth counter where it was', () => {
  const src = `
def f(n):
    return f(n + 1)
caught = 0
for i in range(50):
    try:
        f(0)
    except RecursionError:
        caught += 1
def g(n):
    return 0 if n == 0 else 1 + g(n - 1)
depth = g(150)`;
  const r = evaluate(src);
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.deepEqual(r.variables.caught, { type: 'int', value: 50 });
  assert.deepEqual(r.variables.depth, { type: 'int', value: 150 });
});

test('JS names are AttributeError on every value', () => {
  const values: [string, string][] = [
    ['torch.ones(2)', 'Tensor'], ['np.zeros(2)', 'ndarray'], ['[1]', 'list'], ['(1,)', 'tuple'], ['{}', 'dict'],
    ['1', 'int'], ['1.5', 'float'], ["'s'", 'str'], ['None', 'NoneType'], ['torch.float32', 'dtype'],
  ];
  for (const name of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
    for (const [expr, type] of values) {
      const e = only(`import torch\nimport numpy as np\nv = (${expr}).${name}`);
      assert.equal(`${e.type}: ${e.message}`, `AttributeError: '${type}' object has no attribute '${name}'`, `${expr}.${name}`);
    }
  }
  // a user class may still define such a name
  assert.equal(evaluate('class A: pass\na = A()\na.constructor = 3\nprint(a.constructor)').stdout, '3\n');
});

test('two evaluations never see each other\'s state', () => {
  const changes = `
import torch
import numpy as np
torch.set_default_dtype(torch.float64)
torch.manual_seed(7)
np.random.seed(7)
torch.set_printoptions(precision=2)
torch.set_grad_enabled(False)
`;
  const probe = `
import torch
import numpy as np
a = torch.rand(2)
b = np.random.rand(2)
print(torch.tensor([1.0]).dtype, torch.tensor([1/3]), torch.ones(1, requires_grad=True) * 2)
`;
  const fresh = evaluate(probe);
  evaluate(changes + 'x = torch.zeros(1)');
  const again = evaluate(probe);
  assert.deepEqual(again, fresh);
  assert.match(fresh.stdout, /^torch\.float32 tensor\(\[0\.3333\]\) tensor\(\[2\.\], grad_fn=<MulBackward0>\)/);
  // and nothing is left installed outside an evaluation
  assert.equal(currentContext().maxElements, 1 << 28);
});

test('the time budget stops long work between kernel chunks', () => {
  const r = evaluate('import torch\nx = torch.zeros(64, 64)\nwhile True:\n    x = x + 1', { timeBudgetMs: 50 });
  // on a loaded machine the deadline may already pass during the import
  assert.equal(r.error?.type, 'TimeoutError');
  assert.ok(r.error && r.error.line >= 1 && r.error.line <= 4);
});

test('past the time budget the definitions after the stop still bind, and Preview with Arguments can call them', () => {
  const src = [
    'def slow():', //                                      1
    '    while True:',
    '        pass',
    'slow()', //                                           4: the stop
    'import torch',
    'import math',
    'class Head:',
    '    size = 4',
    'def padding_mask(lengths):', //                       9
    '    mask = torch.arange(Head.size) < lengths[:, None]',
    '    n = math.prod(mask.shape)',
    '    return mask',
    'after = 1', //                                        13: not a definition: not run
    'def endless(x=slow()):', //                           14: runs out of the definitions' allowance
    '    return x',
    'def last():', //                                      16: so this one is not bound
    '    return 1',
  ].join('\n');
  const options = { recordTimeline: true, continueAfterError: true, timeBudgetMs: 200 };
  const preview = (fn: string, args: string) => evaluate(src, { ...options, previewCall: { function: fn, args } });

  const r = preview('padding_mask', 'torch.tensor([4, 2])');
  // one error, the stop; the cut-off definition adds none
  assert.deepEqual(r.errors.map((e) => [e.type, e.line]), [['TimeoutError', 3]]);
  assert.equal(r.variables.after, undefined);
  const call = r.calls?.find((c) => c.function === 'padding_mask');
  assert.ok(call, 'the preview call ran after the stop');
  const mask = call.timeline.find((s) => s.name === 'mask')?.value;
  assert.ok(mask && 'data' in mask);
  assert.deepEqual([mask.dtype, mask.shape, mask.data], ['torch.bool', [2, 4], [true, true, true, true, true, true, false, false]]);

  // the definition after the one cut off never ran
  const late = preview('last', '');
  assert.deepEqual(late.errors.map((e) => e.type), ['TimeoutError', 'NameError']);
  assert.equal(late.errors[1].message, "name 'last' is not defined");
});

test('long elementwise kernels check the time budget between chunks, not only between ops', () => {
  // a deadline already past: a kernel over more than one chunk stops on its own; a small one runs
  const past = new EvalContext({ deadline: performance.now() - 1 });
  const x = (n: number) => ({ data: new Float32Array(n).fill(0.5), offset: 0, strides: [1] });
  const strided = (n: number) => ({ data: new Float32Array(2 * n), offset: 0, strides: [2, 1] as number[] });
  const run = (fn: () => void) => withContext(past, () => {
    try {
      fn();
      return 'finished';
    } catch (e) {
      return (e as { pyType?: string }).pyType ?? String(e);
    }
  });
  const big = 1 << 18, small = 1000;
  assert.equal(run(() => cpuBackend.unary('sin', x(big), [big], new Float32Array(big), false)), 'TimeoutError');
  assert.equal(run(() => cpuBackend.binary('pow', x(big), x(big), [big], new Float32Array(big), false)), 'TimeoutError');
  const rows = big / 2;
  assert.equal(run(() => cpuBackend.unary('cos', strided(rows), [rows, 2], new Float32Array(big), false)), 'TimeoutError');
  const out = new Float32Array(small);
  assert.equal(run(() => cpuBackend.unary('sin', x(small), [small], out, false)), 'finished');
  assert.equal(out[0], Math.fround(Math.sin(0.5)));
});

test('Python semantics (no continuing past errors): nothing runs after the stop', () => {
  const r = evaluate('while True:\n    pass\nimport torch\ndef f():\n    return 1\n', { timeBudgetMs: 50 });
  assert.deepEqual(r.errors.map((e) => e.type), ['TimeoutError']);
});

test('fuzz regressions: np.where argument errors in NumPy\'s words', () => {
  const cases: [string, string][] = [
    ['idx = np.where(future = 1)', "TypeError: where() got an unexpected keyword argument 'future'"],
    ['idx = np.where()', "TypeError: where() missing 1 required positional argument: 'condition'"],
    ['idx = np.where(1, 2)', 'ValueError: either both or neither of x and y should be given'],
    ['idx = np.where(1, 2, 3, 4)', 'TypeError: where() takes from 1 to 3 positional arguments but 4 were given'],
  ];
  for (const [src, want] of cases) {
    const e = only(`import numpy as np\n${src}`);
    assert.equal(`${e.type}: ${e.message}`, want, src);
  }
});

test('fuzz regressions: the time budget never fails the bookkeeping after the statements', () => {
  // a big tensor bound just before the deadline is still snapshotted and encoded
  const r = evaluate('import torch\nx = torch.ones(600, 600)\nn = 0\nwhile True:\n    n += 1', {
    timeBudgetMs: 30, recordTimeline: true, continueAfterError: true, inlineElements: 1000, maxSteps: 1e9,
  });
  assert.equal(r.errors.at(-1)?.type, 'TimeoutError');
  assert.ok(r.errors.every((e) => e.type === 'TimeoutError'), JSON.stringify(r.errors));
});

test('fuzz regressions: split and chunk of a 0-dim tensor', () => {
  const e1 = only('import torch\ns = torch.tensor(7).split([2, 5])');
  const e2 = only('import torch\ns = torch.tensor(7).chunk(2)');
  assert.equal(`${e1.type}: ${e1.message}`, 'RuntimeError: split expects at least a 1-dimensional tensor');
  assert.equal(`${e2.type}: ${e2.message}`, 'RuntimeError: chunk expects at least a 1-dimensional tensor');
});

test('fuzz regressions: len() arity, a snapshot of an expanded view larger than the budget', () => {
  for (const f of ['len', 'all', 'any', 'abs', 'chr', 'repr']) {
    const e = only(`n = ${f}()`);
    assert.equal(`${e.type}: ${e.message}`, `TypeError: ${f}() takes exactly one argument (0 given)`);
  }
  const r = evaluate('import torch\nmask = torch.tensor([[True, False, True]])\ne = mask.expand(10**12, 3)\nok = 1', {
    recordTimeline: true, inlineElements: 1000, continueAfterError: true,
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.variables.ok, { type: 'int', value: 1 });
});

test('fuzz regressions: str method arity in CPython 3.11\'s words (seed 4101: "\\n".join())', () => {
  const cases: [string, string][] = [
    ['"\\n".join()', 'str.join() takes exactly one argument (0 given)'],
    ['"a".join("b", "c")', 'str.join() takes exactly one argument (2 given)'],
    ['"a".upper(1)', 'str.upper() takes no arguments (1 given)'],
    ['"a".isdigit(1, 2)', 'str.isdigit() takes no arguments (2 given)'],
    ['"a".replace("a")', 'replace expected at least 2 arguments, got 1'],
    ['"a".strip(1, 2)', 'strip expected at most 1 argument, got 2'],
    ['"a".ljust()', 'ljust expected at least 1 argument, got 0'],
    ['"a".split(1, 2, 3)', 'split() takes at most 2 arguments (3 given)'],
    ['"a".startswith()', 'startswith() takes at least 1 argument (0 given)'],
    ['"a".find(1, 2, 3, 4)', 'find() takes at most 3 arguments (4 given)'],
    ['"a".splitlines(1, 2)', 'splitlines() takes at most 1 argument (2 given)'],
    ['"a".zfill()', 'str.zfill() takes exactly one argument (0 given)'],
  ];
  for (const [src, message] of cases) {
    const e = only(`x = ${src}`);
    assert.equal(`${e.type}: ${e.message}`, `TypeError: ${message}`, src);
    assert.equal(e.line, 1, src);
  }
  const ok = evaluate('a = "-".join(["x", "y"])\nb = "a b".split()\nc = "{} {}".format(1, 2)\nd = "ab".center(6, "*")');
  assert.equal(ok.error, null);
});

test('fuzz regressions (seed 4102): tf.where(condition), torch functional forms given a number, pad_sequence of 0-dim tensors', () => {
  // values from real TF 2.21 and PyTorch 2.13
  const r = evaluate('import tensorflow as tf\nw = tf.where([[[0.5], [1.0], [2.0], [0.0]], [[1.0], [1.0], [0.0], [0.0]]])\nb = tf.where([True, False, True])');
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.deepEqual(r.variables.w, { type: 'tf.Tensor', dtype: 'int64', shape: [5, 3], data: [0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 1, 1, 0] });
  assert.deepEqual(r.variables.b, { type: 'tf.Tensor', dtype: 'int64', shape: [2, 1], data: [0, 2] });
  const messages = [
    'import tensorflow as tf\nx = tf.where(tf.constant(3.0))',
    'import tensorflow as tf\nx = tf.where([True], [1])',
    'import torch\nx = torch.logical_and(1, 2)',
    'import torch\nx = torch.exp(1)',
    'import torch\nfrom torch.nn.utils.rnn import pad_sequence\nx = pad_sequence([torch.ones(2, 2), torch.tensor(True) * 2], batch_first=True)',
    'import torch\nfrom torch.nn.utils.rnn import pad_sequence\nx = pad_sequence([torch.tensor(3), torch.ones(2)])',
  ].map((src) => {
    const e = only(src);
    return `${e.type}: ${e.message}`;
  });
  assert.deepEqual(messages, [
    'InvalidArgumentError: {{function_node __wrapped__Where_device_/job:localhost/replica:0/task:0/device:CPU:0}} WhereOp : Unhandled input dimensions: 0 [Op:Where] name: ',
    'ValueError: x and y must both be non-None or both be None.',
    "TypeError: logical_and(): argument 'input' (position 1) must be Tensor, not int",
    "TypeError: exp(): argument 'input' (position 1) must be Tensor, not int",
    'IndexError: Dimension specified as 0 but tensor has no dimensions',
    'RuntimeError: ArrayRef: invalid slice, N = 1; size = 0',
  ]);
  // numbers stay valid where PyTorch takes them
  const ok = evaluate('import torch\na = torch.add(1, 2)\nb = torch.pow(2, torch.tensor(3.0))\nc = torch.remainder(5, torch.tensor(3))');
  assert.equal(ok.error, null, JSON.stringify(ok.error));
  assert.deepEqual([ok.variables.a, ok.variables.b, ok.variables.c].map((v) => 'data' in v && v.data[0]), [3, 8, 2]);
});

test('fuzz regressions (seed 4104): type() with neither 1 nor 3 arguments', () => {
  for (const src of ['x = type()', 'x = type(1, 2)', 'x = type(1, 2, 3, 4)']) {
    const e = only(src);
    assert.equal(`${e.type}: ${e.message}`, 'TypeError: type() takes 1 or 3 arguments', src);
  }
  const ok = evaluate('a = type(2) is int\nB = type("B", (), {"k": 1})\nb = B.k');
  assert.equal(ok.error, null, JSON.stringify(ok.error));
  assert.deepEqual([ok.variables.a, ok.variables.b], [{ type: 'bool', value: true }, { type: 'int', value: 1 }]);
});

test('fuzz regressions (seed 4105): list method arity in CPython 3.11\'s words', () => {
  const cases: [string, string][] = [
    ['[].append()', 'list.append() takes exactly one argument (0 given)'],
    ['[].append(1, 2)', 'list.append() takes exactly one argument (2 given)'],
    ['[].extend()', 'list.extend() takes exactly one argument (0 given)'],
    ['[].remove()', 'list.remove() takes exactly one argument (0 given)'],
    ['[].count()', 'list.count() takes exactly one argument (0 given)'],
    ['[].insert(1)', 'insert expected 2 arguments, got 1'],
    ['[].pop(1, 2)', 'pop expected at most 1 argument, got 2'],
    ['[].index()', 'index expected at least 1 argument, got 0'],
  ];
  for (const [src, message] of cases) {
    const e = only(`x = ${src}`);
    assert.equal(`${e.type}: ${e.message}`, `TypeError: ${message}`, src);
  }
  const ok = evaluate('l = [3, 1]\nl.append(2)\nl.insert(0, 5)\nl.sort(reverse=True)\np = l.pop()\nk = l.index(3)');
  assert.equal(ok.error, null, JSON.stringify(ok.error));
  assert.deepEqual([ok.variables.p, ok.variables.k], [{ type: 'int', value: 1 }, { type: 'int', value: 1 }]);
});

test('a syntax error after an infinite loop is reported first, and the loop times out once', () => {
  // CPython compiles the whole file first: `python` prints only the SyntaxError (line 5) and runs nothing
  const src = 'import torch\nx = torch.ones(2)\nwhile True:\n    pass\ny = (1 +\nz = 3\nw = z\n';
  const r = evaluate(src, { continueAfterError: true, maxSteps: 10000 });
  assert.deepEqual(r.errors.map((e) => `${e.type} ${e.line}`), ["SyntaxError 5", 'TimeoutError 4']);
  assert.equal(r.errors[0].message, "'(' was never closed");
  assert.deepEqual(r.error && [r.error.type, r.error.line], ['SyntaxError', 5]);
  // the preview keeps what ran before the loop
  assert.ok('x' in r.variables);
  // Python semantics (the golden mode): the syntax error, nothing bound
  const strict = evaluate(src, { maxSteps: 10000 });
  assert.deepEqual(strict.errors.map((e) => `${e.type} ${e.line}`), ['SyntaxError 5']);
  assert.deepEqual(Object.keys(strict.variables), []);
});

test('a numpy.random name NumPy has but Mask Lens lacks is NotImplementedError, not AttributeError', () => {
  const e = only('import numpy as np\nz = np.random.zipf(2.0)');
  assert.deepEqual([e.type, e.message, e.line], ['NotImplementedError', 'numpy.random.zipf is not supported by Mask Lens yet', 2]);
  // a name real NumPy does not have stays Python's AttributeError
  assert.equal(only('import numpy as np\nrng = np.random.nope').type, 'AttributeError');
});

test('fuzz regression (seed 4105): einops.repeat with a negative or float axis length, expand to a negative size', () => {
  // messages from real PyTorch 2.13 (and einops 0.8.2, whose torch backend calls expand)
  const cases: [string, string][] = [
    ['import torch\nx = torch.ones(2, 3, 1).expand(2, 3, -2)', 'RuntimeError: numel: integer multiplication overflow'],
    ['import torch\nx = torch.ones(3).expand(-2, 3)', 'RuntimeError: numel: integer multiplication overflow'],
    ['import torch\nx = torch.ones(3).expand(-1, 3)', "RuntimeError: The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"],
    ['import torch\nx = torch.ones(2, 3, 1).expand(2, 3, 2.5)', `TypeError: expand(): argument 'size' failed to unpack the object at pos 3 with error "type must be tuple of ints,but got float"`],
    ['import torch\nx = torch.ones(2, 3, 1).view(2, 3.0, 1)', `TypeError: view(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`],
    ['import torch\nimport einops\nx = einops.repeat(torch.ones(2, 3), "h w -> h w c", c=-2)', 'RuntimeError: numel: integer multiplication overflow'],
    ['import torch\nimport einops\nx = einops.repeat(torch.ones(2, 3), "h w -> h w c", c=2.5)', `TypeError: expand(): argument 'size' failed to unpack the object at pos 3 with error "type must be tuple of ints,but got float"`],
  ];
  for (const [src, message] of cases) {
    const e = only(src);
    assert.equal(`${e.type}: ${e.message}`, message, src);
  }
});

test('the memory cap bounds the total: measured only near the cap, reclaimed once before refusing', () => {
  // a stand-in for the worker's probe: `live` bytes in use, of which `garbage` a collection frees
  let live = 0, garbage = 0, measured = 0, reclaimed = 0;
  const memory = {
    capBytes: 1 << 20,
    setting: 'maskLens.evaluation.maxHeapMb',
    used: () => (measured++, live),
    reclaim: () => (reclaimed++, (live -= garbage), (garbage = 0)),
  };
  // small tensors far from the cap cost no measurement beyond the context's first
  let r = evaluate('import torch\nfor i in range(100):\n    x = torch.zeros(100)', { memory });
  assert.equal(r.error, null);
  assert.equal([measured, reclaimed].join(), '1,0');
  // 200000 float32 elements (800 KB) with 300 KB in use passes the 1 MB cap: refused, after one reclaim
  live = 300 << 10;
  measured = 0;
  const e = only('import torch\nx = torch.zeros(200000)', { memory });
  assert.equal(`${e.type}: ${e.message}`, 'MemoryError: a tensor of 200000 elements (1 MB) exceeds the Mask Lens memory cap: 1 of 1 MB in use (setting maskLens.evaluation.maxHeapMb)');
  assert.equal(e.line, 2);
  assert.equal(reclaimed, 1);
  // the same allocation fits once the reclaim frees the garbage; bool storage takes a byte an element
  garbage = 300 << 10;
  r = evaluate('import torch\nx = torch.zeros(200000)\nm = torch.zeros(200000, dtype=torch.bool)', { memory });
  assert.equal(r.error, null);
  assert.equal(reclaimed, 2);
  // Python's own objects count too: a list takes 8 bytes an item, a str 2 a character
  live = 0;
  assert.equal(only('x = [0] * 200000', { memory }).message, 'a list of 200000 items (2 MB) exceeds the Mask Lens memory cap: 0 of 1 MB in use (setting maskLens.evaluation.maxHeapMb)');
  assert.equal(only("x = 'ab' * 300000", { memory }).type, 'MemoryError');
  assert.equal(evaluate("x = 'ab' * 200000", { memory }).error, null);
});

test('failedAtEnd: Python stopped on the last line of code, so going past errors would change nothing (the CLI skips its second run)', () => {
  const cases: [string, boolean][] = [
    ['import torch\nx = torch.ones(1)\nfor i in range(1000):\n    x = torch.cat([x, x])\n', true],
    ['for i in range(3):\n    print(i)\n    y = 1 / 0\n# a trailing comment\n', true],
    ['x = 1\ny = 1 / 0\nz = 2\n', false],
    ['for i in range(3):\n    y = 1 / 0\n    print(i)\n', false],
    ['x = 1\ny = (1 +\n', false],
    ['x = 1\n', false],
  ];
  for (const [src, atEnd] of cases) {
    const python = evaluate(src, { maxElements: 1000 });
    assert.equal(python.failedAtEnd ?? false, atEnd, src);
    if (!atEnd) continue;
    const editor = evaluate(src, { maxElements: 1000, continueAfterError: true });
    assert.deepEqual([editor.variables, editor.errors, editor.stdout], [python.variables, python.errors, python.stdout], src);
  }
});

test('fuzz regression (seed 4108): split with a size of 0 or less raises ATen\'s errors (it looped, building views until the heap cap)', () => {
  const message = (src: string) => {
    const e = only(`import torch\n${src}`);
    return `${e.type}: ${e.message}`;
  };
  assert.equal(message('p = torch.split(torch.arange(7), -3)'), 'RuntimeError: split expects split_size be non-negative, but got split_size=-3');
  assert.equal(message('p = torch.arange(7).split(0)'), 'RuntimeError: split_size can only be 0 if dimension size is 0, but got dimension size of 7');
  assert.equal(message('p = torch.arange(7).split([2, -1, 5])'), 'RuntimeError: split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[2, -1, 5]');
  assert.deepEqual(evaluate('import torch\np = torch.arange(0).split(0)\nn = len(p)').variables.n, { type: 'int', value: 1 });
});

test('fuzz regression (seed 4106 on merged main): a NumPy ufunc given too few arguments is NumPy\'s TypeError, not an internal error', () => {
  const message = (src: string) => {
    const e = only(`import numpy as np\n${src}`);
    return `${e.type}: ${e.message}`;
  };
  assert.equal(message('a = np.logical_and(0.5)'), 'TypeError: logical_and() takes from 2 to 3 positional arguments but 1 was given');
  assert.equal(message('a = np.isinf()'), 'TypeError: isinf() takes from 1 to 2 positional arguments but 0 were given');
  assert.equal(message('a = np.power(2, 3, None, 4)'), 'TypeError: power() takes from 2 to 3 positional arguments but 4 were given');
});

test('fuzz regression (seed 4108 on merged main): Keras compute_mask without inputs is Python\'s TypeError', () => {
  const e = only('from tensorflow.keras import layers\nm = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True).compute_mask()');
  assert.equal(`${e.type}: ${e.message}`, "TypeError: Embedding.compute_mask() missing 1 required positional argument: 'inputs'");
});

test('a float32 product\'s unzeroed output (allocateUnfilled) passes the same memory cap and element budget, and spans its own buffer (Node)', async () => {
  const { allocateUnfilled } = await import('../../src/engine/tensor');
  const memory = { capBytes: 4 << 20, setting: 'maskLens.evaluation.maxHeapMb', used: () => 3 << 20, reclaim: () => {} };
  // [512, 64] @ [64, 1024]: 2 MiB of float32 output with 3 of 4 MiB in use
  const e = only('import torch\nq = torch.ones(512, 64)\nk = torch.ones(64, 1024)\ns = q @ k', { memory });
  assert.equal(`${e.type}: ${e.message}`, 'MemoryError: a tensor of 524288 elements (2 MB) exceeds the Mask Lens memory cap: 3 of 4 MB in use (setting maskLens.evaluation.maxHeapMb)');
  assert.equal(e.line, 4);
  assert.equal(only('import torch\nq = torch.ones(512, 64)\nk = torch.ones(64, 1024)\ns = q @ k', { maxElements: 400000 }).type, 'MemoryError');
  const r = evaluate('import torch\nq = torch.ones(512, 3)\nk = torch.ones(3, 1024) * 2\ns = q @ k\nprint(s.sum().item(), s.min().item())');
  assert.equal(r.error, null);
  assert.equal(r.stdout, `${512 * 1024 * 6}.0 6.0\n`);
  const out = allocateUnfilled('float32', 1 << 18);
  assert.ok(out instanceof Float32Array && out.length === 1 << 18);
  assert.equal(out.byteOffset, 0);
  assert.equal(out.buffer.byteLength, 1 << 20, 'its own whole buffer, so a backend may lend it');
  assert.ok(allocateUnfilled('float32', 100) instanceof Float32Array);
  assert.ok(allocateUnfilled('int64', 1 << 18) instanceof Float64Array);
});

test('allocateUnfilled without Buffer (the web worker): allocate()\'s zeroed storage', async () => {
  const { allocateUnfilled } = await import('../../src/engine/tensor');
  const g = globalThis as { Buffer?: unknown };
  const saved = g.Buffer;
  g.Buffer = undefined;
  try {
    const out = allocateUnfilled('float32', 1 << 18);
    assert.ok(out instanceof Float32Array && out.length === 1 << 18);
    assert.ok(out.every((v) => v === 0));
  } finally {
    g.Buffer = saved;
  }
  assert.equal(typeof Buffer.allocUnsafeSlow, 'function');
});
