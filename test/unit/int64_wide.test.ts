// int64 values beyond 2^53 (issue #17): exact through creation, arithmetic,
// comparisons, reductions, casts, copies and in-place writes, as PyTorch
// keeps them. Each row is a snippet leaving its result in `r`, with repr(r)
// and r.tolist() measured with PyTorch 2.13 (CPU). The dtype assertions are on
// (npm run test:unit sets MASKLENS_DEBUG), so a broken invariant fails too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { setDtypeAssertions } from '../../src/engine/dtype';
import { Storage, int64At, setInt64 } from '../../src/engine/tensor';
import { evaluate } from '../../src/service/evaluate';

// [what, snippet, repr(r), repr(r.tolist())] from torch 2.13.0+cpu
const CASES: [string, string, string, string][] = [
  ["creation", "r = torch.tensor([2**63 - 1, -2**63, 2**53 + 1, 6])", "tensor([ 9223372036854775807, -9223372036854775808,     9007199254740993,\n                           6])", "[9223372036854775807, -9223372036854775808, 9007199254740993, 6]"],
  ["arithmetic past 2^53", "r = torch.tensor([2**53 + 1, 3]) * 3 + (2**62 + 3)", "tensor([4638707616191610886, 4611686018427387916])", "[4638707616191610886, 4611686018427387916]"],
  ["wraps at 2^64", "r = torch.tensor([2**63 - 1, 2**62 + 3]) + 1", "tensor([-9223372036854775808,  4611686018427387908])", "[-9223372036854775808, 4611686018427387908]"],
  ["product beyond 2^53", "r = torch.tensor([3037000499, -3037000500]) * torch.tensor([3037000499, 3037000500])", "tensor([9223372030926249001, 9223372036709301616])", "[9223372030926249001, 9223372036709301616]"],
  ["comparison of neighbours", "r = torch.tensor([2**53 + 1, 2**53]) == 2**53", "tensor([False,  True])", "[False, True]"],
  ["floor division", "r = torch.tensor([2**62 + 3, 2**53 + 1, -7]) // 3", "tensor([1537228672809129302,    3002399751580331,                  -3])", "[1537228672809129302, 3002399751580331, -3]"],
  ["remainder", "r = torch.tensor([2**62 + 3, 2**53 + 1, -7]) % 1000", "tensor([907, 993, 993])", "[907, 993, 993]"],
  ["bitwise and", "r = torch.tensor([2**62 + 3, 2**53 + 1]) & (2**53 + 3)", "tensor([               3, 9007199254740993])", "[3, 9007199254740993]"],
  ["argmax of neighbours", "r = torch.tensor([2**53 + 1, 2**53, 2**53 + 3]).argmax()", "tensor(2)", "2"],
  ["min", "r = torch.tensor([2**53 + 1, 2**53, 2**53 + 3]).min()", "tensor(9007199254740992)", "9007199254740992"],
  ["sum", "r = torch.tensor([[2**53 + 1, 1], [1, 2**62 + 3]]).sum(0)", "tensor([   9007199254740994, 4611686018427387908])", "[9007199254740994, 4611686018427387908]"],
  ["cumsum", "r = torch.tensor([2**53 + 1, 1, 1]).cumsum(0)", "tensor([9007199254740993, 9007199254740994, 9007199254740995])", "[9007199254740993, 9007199254740994, 9007199254740995]"],
  ["one rounding to float32", "r = torch.tensor([2**53 + 2**29 + 1]).to(torch.float32)", "tensor([9.0072e+15])", "[9007200328482816.0]"],
  ["low bits", "r = torch.tensor([2**53 + 2**29 + 1, -2**63 + 5]).to(torch.int32)", "tensor([536870913,         5], dtype=torch.int32)", "[536870913, 5]"],
  ["matmul", "r = torch.tensor([[2**53 + 1, 2], [3, 4]]) @ torch.tensor([[2**40 + 1, 0], [1, 1]])", "tensor([[9008298766368771,                2],\n        [   3298534883335,                4]])", "[[9008298766368771, 2], [3298534883335, 4]]"],
  ["advanced indexing", "r = torch.tensor([2**53 + 1, 5, 2**62 + 3])[torch.tensor([2, 0, 0])]", "tensor([4611686018427387907,    9007199254740993,    9007199254740993])", "[4611686018427387907, 9007199254740993, 9007199254740993]"],
  ["gather", "r = torch.tensor([[2**53 + 1, 5], [7, 2**62 + 3]]).gather(1, torch.tensor([[1, 0], [1, 1]]))", "tensor([[                  5,    9007199254740993],\n        [4611686018427387907, 4611686018427387907]])", "[[5, 9007199254740993], [4611686018427387907, 4611686018427387907]]"],
  ["index_select", "r = torch.tensor([2**53 + 1, 5, 2**62 + 3]).index_select(0, torch.tensor([2, 0]))", "tensor([4611686018427387907,    9007199254740993])", "[4611686018427387907, 9007199254740993]"],
  ["masked_select", "r = torch.tensor([2**53 + 1, 5, 2**62 + 3]).masked_select(torch.tensor([True, False, True]))", "tensor([   9007199254740993, 4611686018427387907])", "[9007199254740993, 4611686018427387907]"],
  ["where", "r = torch.where(torch.tensor([True, False]), torch.tensor([2**53 + 1, 5]), 2**62 + 3)", "tensor([   9007199254740993, 4611686018427387907])", "[9007199254740993, 4611686018427387907]"],
  ["stack", "r = torch.stack([torch.tensor([2**53 + 1, 5]), torch.tensor([1, 2**62 + 3])])", "tensor([[   9007199254740993,                   5],\n        [                  1, 4611686018427387907]])", "[[9007199254740993, 5], [1, 4611686018427387907]]"],
  ["copy through a view", "r = torch.tensor([2**53 + 1, 5]).flip(0).t().contiguous()", "tensor([               5, 9007199254740993])", "[5, 9007199254740993]"],
  ["masked_fill", "r = torch.full((2,), 2**62 + 3).masked_fill(torch.tensor([True, False]), 2**53 + 1)", "tensor([   9007199254740993, 4611686018427387907])", "[9007199254740993, 4611686018427387907]"],
  ["in-place writes over exact values", "x = torch.tensor([2**53 + 1, 2**60 + 1, 2**62 + 3])\nx[0] = 5\nx[1] = 2**60\nx[2:] = torch.tensor([2**53 + 3])\nr = x", "tensor([                  5, 1152921504606846976,    9007199254740995])", "[5, 1152921504606846976, 9007199254740995]"],
  ["index_put of an exact double over an exact value", "x = torch.tensor([2**53 + 1, 2**60 + 1])\nx[torch.tensor([True, True])] = 2**60\nr = x", "tensor([1152921504606846976, 1152921504606846976])", "[1152921504606846976, 1152921504606846976]"],
  ["fill_", "x = torch.tensor([2**53 + 1, 2**60 + 1])\nx.fill_(2**60)\nr = x", "tensor([1152921504606846976, 1152921504606846976])", "[1152921504606846976, 1152921504606846976]"],
  ["copy_", "x = torch.tensor([2**53 + 1, 2**60 + 1])\nx.copy_(torch.tensor([2**60, 2**53 + 5]))\nr = x", "tensor([1152921504606846976,    9007199254740997])", "[1152921504606846976, 9007199254740997]"],
  ["in-place add", "x = torch.tensor([2**53 + 1, 7])\nx += 2**62\nr = x", "tensor([4620693217682128897, 4611686018427387911])", "[4620693217682128897, 4611686018427387911]"],
  ["zero_", "x = torch.tensor([2**53 + 1, 7])\nx.zero_()\nr = x", "tensor([0, 0])", "[0, 0]"],
  ["expand then clone", "r = torch.tensor([2**53 + 1, 7]).view(2, 1).expand(2, 3).clone()", "tensor([[9007199254740993, 9007199254740993, 9007199254740993],\n        [               7,                7,                7]])", "[[9007199254740993, 9007199254740993, 9007199254740993], [7, 7, 7]]"],
  ["repeat", "r = torch.tensor([2**53 + 1, 7]).repeat(2)", "tensor([9007199254740993,                7, 9007199254740993,                7])", "[9007199254740993, 7, 9007199254740993, 7]"],
  ["abs", "r = torch.tensor([2**53 + 1, -(2**53 + 1)]).abs()", "tensor([9007199254740993, 9007199254740993])", "[9007199254740993, 9007199254740993]"],
  ["clamp", "r = torch.clamp(torch.tensor([2**53 + 1, 5, 2**62 + 3]), 2**53 + 2, 2**62)", "tensor([   9007199254740994,    9007199254740994, 4611686018427387904])", "[9007199254740994, 9007199254740994, 4611686018427387904]"],
  ["max values", "r = torch.tensor([2**53 + 1, 2**53]).max(0).values", "tensor(9007199254740993)", "9007199254740993"],
  ["pad_sequence takes its padding value as a float", "r = pad_sequence([torch.tensor([1, 2]), torch.tensor([3])], batch_first=True, padding_value=2**53 + 1)", "tensor([[               1,                2],\n        [               3, 9007199254740992]])", "[[1, 2], [3, 9007199254740992]]"],
  ["fill_diagonal_", "r = torch.zeros(3, 3, dtype=torch.long)\nr.fill_diagonal_(2**62 + 3)", "tensor([[4611686018427387907,                   0,                   0],\n        [                  0, 4611686018427387907,                   0],\n        [                  0,                   0, 4611686018427387907]])", "[[4611686018427387907, 0, 0], [0, 4611686018427387907, 0], [0, 0, 4611686018427387907]]"],
  ["bfloat16 through one float32 rounding", "r = torch.tensor([2**53 + 2**29 + 1]).to(torch.bfloat16)", "tensor([9.0072e+15], dtype=torch.bfloat16)", "[9007199254740992.0]"],
  ["scatter_", "r = torch.tensor([2**53 + 1, 2**60 + 1])\nr.scatter_(0, torch.tensor([1]), torch.tensor([2**60]))", "tensor([   9007199254740993, 1152921504606846976])", "[9007199254740993, 1152921504606846976]"],
  ["sort", "r = torch.tensor([2**53 + 1, 7, 2**53]).sort().values", "tensor([               7, 9007199254740992, 9007199254740993])", "[7, 9007199254740992, 9007199254740993]"],
  ["topk", "r = torch.tensor([2**53 + 1, 2**53]).topk(1).values", "tensor([9007199254740993])", "[9007199254740993]"],
  ["left shift", "r = torch.tensor([2**53 + 1, 2**53]) << 2", "tensor([36028797018963972, 36028797018963968])", "[36028797018963972, 36028797018963968]"],
  ["right shift", "r = torch.tensor([2**62 + 3]) >> 1", "tensor([2305843009213693953])", "[2305843009213693953]"],
  ["pow", "r = torch.tensor([2**53 + 1, 3]) ** 2", "tensor([18014398509481985,                 9])", "[18014398509481985, 9]"],
  ["repeat_interleave", "r = torch.tensor([2**53 + 1, 3]).repeat_interleave(2)", "tensor([9007199254740993, 9007199254740993,                3,                3])", "[9007199254740993, 9007199254740993, 3, 3]"],
  ["roll", "r = torch.tensor([2**53 + 1, 3]).roll(1)", "tensor([               3, 9007199254740993])", "[3, 9007199254740993]"],
  ["maximum", "r = torch.tensor([2**53 + 1, 3]).maximum(torch.tensor([2**53, 4]))", "tensor([9007199254740993,                4])", "[9007199254740993, 4]"],
  ["add with an int alpha beyond 2^53", "r = torch.add(torch.tensor([1, 2**53 + 1]), torch.tensor([1, 3]), alpha=2**53 + 1)", "tensor([ 9007199254740994, 36028797018963972])", "[9007199254740994, 36028797018963972]"],
  ["tril", "r = torch.tril(torch.tensor([[2**53 + 1, 2**53 + 3], [5, 2**62 + 3]]))", "tensor([[   9007199254740993,                   0],\n        [                  5, 4611686018427387907]])", "[[9007199254740993, 0], [5, 4611686018427387907]]"],
  ["new_full", "r = torch.tensor([2**53 + 1, 5]).new_full((2,), 2**62 + 3)", "tensor([4611686018427387907, 4611686018427387907])", "[4611686018427387907, 4611686018427387907]"],
  ["argsort of neighbours", "r = torch.tensor([2**53 + 1, 2**53]).argsort(descending=True)", "tensor([0, 1])", "[0, 1]"],
  ["bitwise_not", "r = torch.tensor([2**53 + 1, 5]).bitwise_not()", "tensor([-9007199254740994,                -6])", "[-9007199254740994, -6]"],
  ["masked_fill_", "r = torch.tensor([2**53 + 1, 5])\nr.masked_fill_(torch.tensor([False, True]), 2**62 + 3)", "tensor([   9007199254740993, 4611686018427387907])", "[9007199254740993, 4611686018427387907]"],
  ["masked_scatter of an exact double over an exact value", "r = torch.tensor([2**53 + 1, 5, 2**60 + 1]).masked_scatter(torch.tensor([True, False, True]), torch.tensor([2**62 + 3, 2**60]))", "tensor([4611686018427387907,                   5, 1152921504606846976])", "[4611686018427387907, 5, 1152921504606846976]"],
];

for (const [name, src, repr, list] of CASES) {
  test(`int64 beyond 2^53: ${name}`, () => {
    const prev = setDtypeAssertions(true);
    try {
      const res = evaluate(`import torch\nfrom torch.nn.utils.rnn import pad_sequence\n${src}\nr_repr = repr(r)\nr_list = repr(r.tolist())`);
      assert.equal(res.error, null, JSON.stringify(res.error));
      assert.equal((res.variables.r_repr as { value?: string }).value, repr);
      assert.equal((res.variables.r_list as { value?: string }).value, list);
    } finally {
      setDtypeAssertions(prev);
    }
  });
}

test('int(), item() and formatting read the exact int64', () => {
  const res = evaluate('import torch\nt = torch.tensor([2**63 - 1, 2**53 + 1])\na = int(t[0])\nb = t[1].item()\nc = f"{t[1]}"\nd = str(a - 2**63)\ne = str(b + 1)');
  assert.equal(res.error, null, JSON.stringify(res.error));
  assert.equal((res.variables.d as { value?: string }).value, '-1');
  assert.equal((res.variables.c as { value?: string }).value, '9007199254740993');
  assert.equal((res.variables.e as { value?: string }).value, '9007199254740994');
});

test('a storage element is its exact value only while its double is the nearest one', () => {
  const s = new Storage(new Float64Array(3));
  setInt64(s, 0, 2n ** 53n + 1n);
  setInt64(s, 1, 2n ** 60n);
  assert.equal(int64At(s, 0), 2n ** 53n + 1n);
  assert.equal(int64At(s, 1), 2n ** 60n);
  // a writer that knows nothing of the side array replaces the element
  s.data[0] = 5;
  assert.equal(int64At(s, 0), 5n);
  s.data[0] = 2 ** 54;
  assert.equal(int64At(s, 0), 2n ** 54n);
  // an exact double beyond 2^53 is recorded too, so no stale value stands for it
  setInt64(s, 2, 2n ** 60n + 1n);
  setInt64(s, 2, 2n ** 60n);
  assert.equal(int64At(s, 2), 2n ** 60n);
});

test('hovers, the readable CLI and --json show int64 beyond 2^53 with its exact digits', async () => {
  const { hoverMarkdown } = await import('../../src/vscode/hoverMarkdown');
  const { valueOfNameAt } = await import('../../src/vscode/variableLookup');
  const { spawnSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const src = readFileSync(join(__dirname, '../cases/torch_int64_beyond_2_53.py'), 'utf8');
  const line = src.split('\n').findIndex((l) => l.startsWith('ids = ')) + 1;
  const r = evaluate(src, { recordTimeline: true });
  const md = hoverMarkdown(valueOfNameAt(r, 'ids', line)!);
  // as print() shows them (torch 2.13): 9007199254740993, not the double 9007199254740992
  assert.ok(md.includes('```text\n    9007199254740993                    5\n 4611686018427387907 -9223372036854775808\n```'), md);
  assert.ok(hoverMarkdown({ name: 'n', value: r.variables.n }).includes('9007199254740993'));
  // the CLI evaluates in the service's worker (dist/worker.js): `npm test` builds first
  const cli = join(__dirname, '../../dist/cli.js');
  const file = join(__dirname, '../cases/torch_int64_beyond_2_53.py');
  const plain = spawnSync(process.execPath, [cli, 'run', file], { encoding: 'utf8' }).stdout;
  assert.ok(plain.includes(' 4611686018427387907 -9223372036854775808'), plain);
  assert.ok(plain.includes('27021597764222980'), plain);
  // --json: the golden file's number literals, digit for digit (JSON numbers, no new field)
  const json = spawnSync(process.execPath, [cli, 'run', '--json', file], { encoding: 'utf8' }).stdout;
  const golden = JSON.parse(readFileSync(join(__dirname, '../golden/torch_int64_beyond_2_53.json'), 'utf8'));
  for (const name of ['ids', 'hashed']) {
    assert.ok(json.includes(`"data":[${rawData(readFileSync(join(__dirname, '../golden/torch_int64_beyond_2_53.json'), 'utf8'), name)}]`), `${name}: ${json}`);
  }
  assert.ok(json.includes('"n":{"type":"int","value":9007199254740993}'), json);
  assert.ok(!json.includes('"exact"'), json);
  assert.deepEqual(Object.keys(JSON.parse(json).variables), Object.keys(golden.variables));
});

/** A golden variable's data array as its JSON text writes it (exact digits), without spaces. */
function rawData(goldenText: string, name: string): string {
  const at = goldenText.indexOf(`"${name}": {`);
  const data = goldenText.indexOf('"data": [', at) + '"data": ['.length;
  return goldenText.slice(data, goldenText.indexOf(']', data)).replace(/\s+/g, '');
}
