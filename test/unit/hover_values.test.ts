// Hovers on values that are no tensor, list or number (new-user test, note20):
// None and @dataclass instances show their repr; a built-in exception class
// name shows the class, never an error about Mask Lens's own lookup; a name
// with no value says "not bound" only where its line would have bound it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, evaluateNotebook } from '../../src/service/evaluate';
import { cellLineLabel, layoutCells } from '../../src/python/notebook';
import { callJson } from '../../src/cli';
import { valueInCall, callsOf, returnedValue } from '../../src/vscode/callLookup';
import { hoverMarkdown, notCalledText, unresolvedHover } from '../../src/vscode/hoverMarkdown';
import { valueOfNameAt } from '../../src/vscode/variableLookup';

const src = `from dataclasses import dataclass
from typing import Optional

@dataclass
class ModelArgs:
    dim: int = 4096
    n_layers: int = 32
    norm_eps: float = 1e-5
    vocab_size: Optional[int] = None

class Loud:
    def __repr__(self):
        print("side effect")
        return "Loud()"

@dataclass
class Holder:
    inner: object

args = ModelArgs()
cache = None
h = Holder(Loud())
args.dim = 8

def pad_list(xs, pad_value):
    if pad_value is None:
        raise ValueError("pad_value must be set")
    return xs

def nothing(cfg):
    return None

nothing(args)
raise ValueError("top level")
`;
const lines = src.split('\n');
const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
const r = evaluate(src, { recordTimeline: true, continueAfterError: true });

test('None hovers as None', () => {
  const v = valueOfNameAt(r, 'cache', lineOf('cache'))!;
  assert.ok(v, 'None is recorded');
  assert.deepEqual(v.value, { type: 'object', class: 'NoneType' });
  const md = hoverMarkdown(v);
  assert.match(md, /\*\*cache\*\* · `NoneType`/);
  assert.ok(md.includes('```python\nNone\n```'), md);
});

test('a dataclass instance hovers as Python prints it, as of its line', () => {
  const at = valueOfNameAt(r, 'args', lineOf('args = '))!;
  assert.equal(at.repr, 'ModelArgs(dim=4096, n_layers=32, norm_eps=1e-05, vocab_size=None)');
  assert.match(hoverMarkdown(at), /\*\*args\*\* · `ModelArgs`/);
  // `args.dim = 8` rebinds nothing but changes args: the hover from that line on says so
  assert.equal(valueOfNameAt(r, 'args', lineOf('args.dim'))!.repr, 'ModelArgs(dim=8, n_layers=32, norm_eps=1e-05, vocab_size=None)');
});

test("printing a snapshot's repr adds nothing to the run's stdout", () => {
  assert.equal(valueOfNameAt(r, 'h', lineOf('h = '))!.repr, 'Holder(inner=Loud())');
  assert.equal(r.stdout, '');
});

test('None and dataclass values stay out of the golden record: variables and --json calls', () => {
  assert.equal(r.variables.cache, undefined);
  assert.equal(r.variables.args, undefined);
  const [call] = callsOf(r, 'nothing');
  // the editor sees the argument and the None returned
  assert.match(valueInCall(call, 'cfg', lineOf('    return None'))!.repr ?? '', /^ModelArgs\(dim=8/);
  assert.equal(returnedValue(call, 'nothing(…)')!.repr, 'None');
  const json = callJson(call);
  assert.deepEqual(json.variables, {});
  assert.equal(json.returned, null);
});

test('an argument that is None hovers inside the function', () => {
  const r2 = evaluate(`${src.slice(0, src.indexOf('nothing(args)'))}pad_list([1], None)\n`, { recordTimeline: true, continueAfterError: true });
  const [call] = callsOf(r2, 'pad_list');
  assert.equal(valueInCall(call, 'pad_value', lineOf('        raise'))!.repr, 'None');
});

test('the exception name in `raise ValueError(...)` hovers as the class, not as an unbound name', () => {
  const line = lineOf('raise ValueError');
  assert.equal(r.errors.find((e) => e.line === line)?.type, 'ValueError', 'the line failed');
  const text = unresolvedHover(r, 'ValueError', lines[line - 1], line)!;
  assert.equal(text, "```python\n<class 'ValueError'>\n```");
  assert.doesNotMatch(text, /not bound/);
  // a file that binds the name itself: not the built-in
  assert.equal(unresolvedHover(r, 'TimeoutError', 'raise TimeoutError()', line, false, 'class TimeoutError(Exception):\n    pass\n'), undefined);
  assert.equal(unresolvedHover(r, 'TimeoutError', 'raise TimeoutError()', line, false, 'from asyncio import TimeoutError\n'), undefined);
  assert.ok(unresolvedHover(r, 'TimeoutError', 'raise TimeoutError()', line, false, 'x = 1\nif x == TimeoutError: pass\n'));
  // Python 3's alias names the class it is
  assert.equal(unresolvedHover(r, 'IOError', 'except IOError:', line), "```python\n<class 'OSError'>\n```");
  // `e.ValueError` is an attribute, not the built-in
  assert.equal(unresolvedHover(r, 'ValueError', 'x = e.ValueError', line, true), undefined);
});

test('"not bound" only for the name the failing line binds; other words on it say nothing', () => {
  const r3 = evaluate('import torch\nx = torch.ones(3).unsequeeze(0)\ny = x * 2\n', { recordTimeline: true, continueAfterError: true });
  const two = 'x = torch.ones(3).unsequeeze(0)';
  assert.match(unresolvedHover(r3, 'x', two, 2)!, /^\*\*x\*\*: not bound, line 2 raised\n\n`AttributeError`: 'Tensor' object has no attribute 'unsequeeze'/);
  assert.equal(unresolvedHover(r3, 'torch', two, 2), undefined, 'torch is bound; the error is not about it');
  assert.equal(unresolvedHover(r3, 'unsequeeze', two, 2, true), undefined);
  // a knock-on: the name it names and the name the line binds
  const three = 'y = x * 2';
  const knockOn = 'not evaluated: \\`x\\` was not bound because line 2 failed';
  assert.equal(unresolvedHover(r3, 'x', three, 3), `**x**: ${knockOn}`);
  assert.equal(unresolvedHover(r3, 'y', three, 3), `**y**: ${knockOn}`);
  assert.equal(unresolvedHover(r3, 'nope', 'z = 1', 9), undefined);
});

test('a dataclass `self` is recorded as its fields are set, and left out while its repr cannot print yet', () => {
  const r4 = evaluate(`from dataclasses import dataclass
@dataclass
class Converter:
    is_causal: bool
    sliding_window: int
    def __init__(self, is_causal, sliding_window=None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window
c = Converter(True, 4)
`, { recordTimeline: true });
  const [call] = callsOf(r4, 'Converter.__init__');
  // after the first write, repr would read the unset sliding_window: no snapshot, no '<unprintable>'
  assert.deepEqual(call.timeline.filter((s) => s.name === 'self').map((s) => [s.line, s.repr]), [[8, 'Converter(is_causal=True, sliding_window=4)']]);
  assert.equal(valueOfNameAt(r4, 'c', 9)!.repr, 'Converter(is_causal=True, sliding_window=4)');
});

test('the inspector follows the cursor to values, not to None: a cursor on `mask = None` keeps the tensor above', async () => {
  const { variableAtLine } = await import('../../src/vscode/variableLookup');
  const r5 = evaluate('import torch\nm = torch.ones(2).bool()\nmask = None\n', { recordTimeline: true });
  assert.equal(valueOfNameAt(r5, 'mask', 3)?.repr, 'None', 'the hover still shows it');
  assert.equal(variableAtLine(r5, 3, () => '')?.name, 'm');
});

test('a function the run never reached because Mask Lens stopped it is not "never called"', () => {
  const src = 'def attention(q):\n    scores = q * 2\n    return scores\n\nwhile True:\n    pass\nattention(1)\n';
  const stopped = evaluate(src, { recordTimeline: true, continueAfterError: true, timeBudgetMs: 50 });
  const stop = stopped.errors.find((e) => e.type === 'TimeoutError');
  assert.ok(stop, 'the loop ran past the budget');
  const text = notCalledText(stopped, 'attention', 'scores');
  assert.match(text, new RegExp(`stopped evaluating this file at line ${stop!.line} \\(its time budget`));
  assert.doesNotMatch(text, /never called/);
  // in a notebook the stop is named by its cell and line, not a line of the joined cells
  const cells = layoutCells([{ index: 0, source: 'def attention(q):\n    scores = q * 2\n    return scores\n' }, { index: 1, source: 'x = 1\nwhile True:\n    pass\nattention(1)\n' }]);
  const nb = evaluateNotebook(cells, { recordTimeline: true, continueAfterError: true, timeBudgetMs: 50 });
  const nbStop = nb.errors.find((e) => e.type === 'TimeoutError')!;
  assert.match(notCalledText(nb, 'attention', 'scores', (line) => cellLineLabel(cells, line)), /stopped evaluating this file at cell 2, line [23] \(its time budget/);
  assert.ok(nbStop.line > 4, 'a line of the joined source');
  // a file that simply never calls it
  const plain = evaluate('def attention(q):\n    return q\n', { recordTimeline: true, continueAfterError: true });
  assert.equal(notCalledText(plain, 'attention', 'q'), '$(info) `attention` is never called in this file, so Mask Lens has no values for `q` yet.');
});
