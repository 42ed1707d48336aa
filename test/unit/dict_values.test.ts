// Dicts in hovers and the inspector: a kv_cache or a config dict shows as a
// dict (its size and first entries, each value by its summary), also at the
// line of a call that filled it; --json (the golden record) still skips dicts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callJson } from '../../src/cli';
import { evaluate } from '../../src/service/evaluate';
import { DICT_ENTRIES_SHOWN, type EncodedValue } from '../../src/python/result';
import { valueInCall, callsOf } from '../../src/vscode/callLookup';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { scalarText } from '../../src/vscode/tensorView';
import { valueOfNameAt } from '../../src/vscode/variableLookup';

const run = (src: string) => evaluate(src, { recordTimeline: true, continueAfterError: true });
const entries = (v: EncodedValue | undefined) => (v?.type === 'dict' ? v.entries.map((e) => `${e.key}: ${e.summary}`) : undefined);

test('a config dict hovers as a dict: its entries with their values\' summaries, and its repr as print() shows it', () => {
  const r = run(`import torch
import numpy as np
config = {"n_layer": 2, "name": "gpt", "w": torch.ones(2, 3), 3: (1, 2), "a": np.zeros((2,), dtype=np.int64), "cfg": {"x": 1}, "xs": [1, 2, 3], "none": None}
`);
  const v = valueOfNameAt(r, 'config', 3)!;
  assert.deepEqual(entries(v.value), ["'n_layer': 2", "'name': 'gpt'", "'w': torch.float32 [2, 3]", '3: (1, 2)', "'a': int64 (2,)", "'cfg': dict (1 entry)", "'xs': list (3 items)", "'none': None"]);
  // print(config) in real Python 3 / torch 2.13
  assert.equal(v.repr, "{'n_layer': 2, 'name': 'gpt', 'w': tensor([[1., 1., 1.],\n        [1., 1., 1.]]), 3: (1, 2), 'a': array([0, 0]), 'cfg': {'x': 1}, 'xs': [1, 2, 3], 'none': None}");
  const md = hoverMarkdown(v);
  assert.match(md, /^\*\*config\*\* · `dict` · 8 entries/);
  assert.ok(md.includes("{'n_layer': 2,\n 'name': 'gpt',\n 'w': torch.float32 [2, 3],"), md);
  assert.ok(md.includes('<details><summary>repr'), 'the repr is collapsed under the entries');
  // --json's record (the golden schema) has no dicts
  assert.equal('config' in r.variables, false);
});

test('a dict shows its first 16 entries and counts the rest; a big kv_cache keeps no repr', () => {
  const r = run(`import torch
big = {i: i * i for i in range(20)}
cache = {"k": torch.zeros(2, 4, 64), "v": torch.zeros(2, 4, 64)}
`);
  const big = valueOfNameAt(r, 'big', 2)!.value;
  assert.equal(big.type === 'dict' && big.size, 20);
  assert.equal(entries(big)!.length, DICT_ENTRIES_SHOWN);
  assert.match(scalarText(big), /^\{0: 0,\n 1: 1,\n.*\n 15: 225,\n … 4 more\}$/s);
  const cache = valueOfNameAt(r, 'cache', 3)!;
  assert.deepEqual(entries(cache.value), ["'k': torch.float32 [2, 4, 64]", "'v': torch.float32 [2, 4, 64]"]);
  assert.equal(cache.repr, '', 'printing 1024 elements for a hover is what the summaries spare');
});

test('a dict filled inside a callee shows at the calling line too (whisper kv_cache hooks)', () => {
  const src = `import torch
cache = {}
def save_to_cache(module, output):
    if module not in cache:
        cache[module] = output
    else:
        cache[module] = torch.cat([cache[module], output], dim=1)
    return cache[module]
def fill(c, k):
    c[k] = torch.zeros(1, k)
    n = len(c)
    return n
key = torch.nn.Linear(2, 2)
save_to_cache(key, torch.ones(1, 3))
save_to_cache(key, torch.ones(1, 2))
fill(cache, 4)
total = len(cache)
`;
  const r = run(src);
  assert.deepEqual(entries(valueOfNameAt(r, 'cache', 2)!.value), []);
  // an object key by its class; the value as the call left it
  assert.deepEqual(entries(valueOfNameAt(r, 'cache', 14)!.value), ['Linear(…): torch.float32 [1, 3]']);
  assert.equal(valueOfNameAt(r, 'cache', 14)!.line, 14);
  assert.deepEqual(entries(valueOfNameAt(r, 'cache', 15)!.value), ['Linear(…): torch.float32 [1, 5]']);
  assert.deepEqual(entries(valueOfNameAt(r, 'cache', 16)!.value), ['Linear(…): torch.float32 [1, 5]', '4: torch.float32 [1, 4]']);
  // inside the callee, the parameter bound to it
  const [fill] = callsOf(r, 'fill');
  assert.deepEqual(entries(valueInCall(fill, 'c', 11)?.value), ['Linear(…): torch.float32 [1, 5]', '4: torch.float32 [1, 4]']);
  // a call's --json record leaves dicts out, as the golden record does
  assert.equal('c' in callJson(fill).variables, false);
});
