// What the host sends the inspector for a seq-first [T, B] padding mask (a
// collate_fn's `pad_sequence(batch) == PAD` for nn.Transformer with
// batch_first=False): the variable's maskParts carry `seqFirst`, so the
// padding layer, the cell tooltip and the layered view read keys down dim 0
// and batch rows along dim 1, the transpose of a [B, T] mask. The state is
// built as the extension builds it (buildInspectorState) and crosses
// postMessage as a typed HostToWebviewMessage.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { buildInspectorState } from '../../src/vscode/inspectorState';
import { isHostToWebviewMessage, type HostToWebviewMessage, type InspectorVariable } from '../../src/vscode/protocol';
import { layeredSlice, maskLayers, maskedBy, maskingBits } from '../../src/vscode/maskLayers';
import { sliceTensor } from '../../src/vscode/tensorSlice';
import type { EncodedValue } from '../../src/python/result';

const SOURCE = readFileSync(new URL('../cases/torch_collate_seq_first_mask.py', import.meta.url), 'utf8');

/** The showState message for the snippet, after a structured-clone-like round trip (postMessage). */
function sent(options = {}): HostToWebviewMessage {
  const result = evaluate(SOURCE, { recordTimeline: true, ...options });
  assert.equal(result.error, null);
  const state = buildInspectorState('file:///collate.py', '/w/collate.py', { uri: 'file:///collate.py', version: 1, options: {}, result, elapsedMs: 1, id: 1 }, 'all');
  const message: HostToWebviewMessage = JSON.parse(JSON.stringify({ type: 'showState', state }));
  assert.ok(isHostToWebviewMessage(message));
  return message;
}

function variable(m: HostToWebviewMessage, name: string): InspectorVariable {
  assert.equal(m.type, 'showState');
  const v = m.type === 'showState' ? m.state.variables.find((x) => x.name === name) : undefined;
  assert.ok(v, `${name} not sent`);
  return v;
}

type TensorValue = Extract<EncodedValue, { data: unknown }>;

test('a seq-first [T, B] padding mask is sent with transposed padding parts that explain every cell', () => {
  const m = sent();
  for (const [name, side, keep] of [['src_pad', 'right', false], ['keep', 'right', true], ['left_pad', 'left', false]] as const) {
    const v = variable(m, name);
    assert.equal(v.mask, 'padding', name);
    assert.deepEqual(v.maskParts, { lengths: [4, 2, 3], side, keep, seqFirst: true }, name);
    assert.deepEqual(maskLayers(v.maskParts).map((l) => l.label), [`padding (${side}, lengths 4, 2, 3)`], name);
    const t = v.value as TensorValue;
    assert.deepEqual(t.shape, [4, 3], name);
    // every cell: masked by the padding layer exactly where the value masks it
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 3; c++) {
        const on = t.data[r * 3 + c] === true;
        assert.equal(maskingBits(v.maskParts!, t.shape, [r, c]) !== 0, keep ? !on : on, `${name}[${r}, ${c}]`);
      }
    }
  }
  // src column 1 holds 2 real tokens: time steps 2 and 3 are its padding, named by time step and length
  const srcPad = variable(m, 'src_pad');
  assert.deepEqual(maskedBy(srcPad.maskParts!, [4, 3], [3, 1]), ['padding (key 3 ≥ 2, length 2)']);
  assert.deepEqual(maskedBy(srcPad.maskParts!, [4, 3], [1, 1]), []);
  // left padding: column 1's real tokens are the last 2 of 4
  assert.deepEqual(maskedBy(variable(m, 'left_pad').maskParts!, [4, 3], [0, 1]), ['padding (key 0 < 2, length 2)']);
});

test('the layered view of a seq-first mask, drawn from its padding layer alone, is the mask itself', () => {
  const v = variable(sent(), 'src_pad');
  const t = v.value as TensorValue;
  const slice = sliceTensor(t, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 16, maxCols: 16 });
  const layered = layeredSlice(slice, v.maskParts!, t.shape, 0, 1, [0, 0], new Set(['padding']));
  assert.deepEqual(Array.from(layered.values), t.data.map((x) => (x === true ? 1 : 0)));
});

test('a seq-first mask too large to inline is sent with the same parts (the streamed reading)', () => {
  const v = variable(sent({ inlineElements: 0 }), 'src_pad');
  assert.ok('elided' in v.value);
  assert.deepEqual(v.maskParts, { lengths: [4, 2, 3], side: 'right', keep: false, seqFirst: true });
});
