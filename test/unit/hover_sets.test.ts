// Hovers on sets, frozensets and dict views (dict_keys, dict_values,
// dict_items): the type and the repr as of the line, in CPython's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { valueOfNameAt } from '../../src/vscode/variableLookup';

const src = `s = {10, 1, 100, 33}
s.add(2)
f = frozenset([64, 0, 8])
d = {"a": 1, "b": 2}
ks = d.keys()
vs = d.values()
its = d.items()
d["c"] = 3
`;
const lines = src.split('\n');
const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
const r = evaluate(src, { recordTimeline: true });

test('a set hovers with its type and its repr in CPython order, as of each line', () => {
  const v = valueOfNameAt(r, 's', lineOf('s = '))!;
  assert.ok(v, 'a set is recorded');
  assert.deepEqual(v.value, { type: 'object', class: 'set' });
  const md = hoverMarkdown(v);
  assert.match(md, /\*\*s\*\* · `set`/);
  assert.ok(md.includes('{1, 10, 100, 33}'), md);
  // CPython 3.11: the literal's frozenset constant is merged into a 16-slot table
  assert.equal(valueOfNameAt(r, 's', lineOf('s.add'))!.repr, '{1, 2, 33, 100, 10}');
});

test('a frozenset hovers as frozenset', () => {
  const v = valueOfNameAt(r, 'f', lineOf('f = '))!;
  assert.match(hoverMarkdown(v), /\*\*f\*\* · `frozenset`/);
  assert.equal(v.repr, 'frozenset({64, 0, 8})');
});

test('dict views hover as dict_keys, dict_values and dict_items', () => {
  const ks = valueOfNameAt(r, 'ks', lineOf('ks = '))!;
  assert.match(hoverMarkdown(ks), /\*\*ks\*\* · `dict_keys`/);
  assert.equal(ks.repr, "dict_keys(['a', 'b'])");
  assert.match(hoverMarkdown(valueOfNameAt(r, 'vs', lineOf('vs = '))!), /\*\*vs\*\* · `dict_values`/);
  assert.equal(valueOfNameAt(r, 'its', lineOf('its = '))!.repr, "dict_items([('a', 1), ('b', 2)])");
});

test('sets and views stay out of the golden record', () => {
  assert.equal(r.variables.s, undefined);
  assert.equal(r.variables.ks, undefined);
});

test('bytes and bytearray hover with their type and their repr as of the line', () => {
  const b = evaluate("b = bytes([1, 2]) + b'ab'\nba = bytearray(b)\nba[0] = 9\n", { recordTimeline: true });
  const v = valueOfNameAt(b, 'b', 1)!;
  assert.deepEqual(v.value, { type: 'object', class: 'bytes' });
  assert.match(hoverMarkdown(v), /\*\*b\*\* · `bytes`/);
  assert.equal(v.repr, "b'\\x01\\x02ab'");
  assert.equal(valueOfNameAt(b, 'ba', 2)!.repr, "bytearray(b'\\x01\\x02ab')");
});
