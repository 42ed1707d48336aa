// A check shared by the mask layout and label tests: a mask's parts
// (MaskParts: padding, causal, window) explain each of its cells.
import assert from 'node:assert/strict';
import type { EncodedValue, Snapshot } from '../../src/python/result';
import { evaluate } from '../../src/service/evaluate';
import { maskingBits } from '../../src/vscode/maskLayers';

type TensorValue = Extract<EncodedValue, { data: unknown }>;

/** Every cell's layers agree with its value: masked by some part exactly where the value masks it. */
export function assertPartsExplainEveryCell(s: Snapshot): void {
  const v = s.value as TensorValue;
  const parts = s.maskParts!;
  const keep = parts.keep !== false;
  const strides = v.shape.map((_, d) => v.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  for (let flat = 0; flat < v.data.length; flat++) {
    const idx = strides.map((st, d) => Math.floor(flat / st) % v.shape[d]);
    const x = v.data[flat];
    const on = x === true || (typeof x === 'number' && x !== 0) || x === '-inf';
    assert.equal(maskingBits(parts, v.shape, idx) !== 0, keep ? !on : on, `${s.name}[${idx.join(', ')}] = ${String(x)}: parts ${JSON.stringify(parts)}`);
  }
}

/**
 * Evaluates `source` twice, with values inlined and with every tensor streamed,
 * and returns both runs plus `last(name)`: the name's last snapshot (at top
 * level or in a recorded call), after checking that the two readings agree on
 * its kind, label (the streamed one may add a fully-masked-row count) and parts.
 */
export function smallAndStreamed(source: string) {
  const small = evaluate(source, { recordTimeline: true });
  const streamed = evaluate(source, { recordTimeline: true, inlineElements: 0 });
  const snapshots = (r: typeof small): Snapshot[] => [...r.timeline, ...(r.calls ?? []).flatMap((c) => c.timeline)];
  const find = (r: typeof small, name: string) => snapshots(r).reverse().find((s) => s.name === name);
  function last(name: string): Snapshot {
    const s = find(small, name);
    const big = find(streamed, name);
    assert.ok(s && big, `${name} not recorded`);
    assert.ok('elided' in big.value, `${name} was not streamed`);
    assert.equal(big.mask, s.mask, `${name}: the streamed kind differs`);
    assert.equal(big.maskSummary?.replace(/ · \d+ fully-masked rows?/, ''), s.maskSummary, `${name}: the streamed label differs`);
    assert.deepEqual(big.maskParts, s.maskParts, `${name}: the streamed parts differ`);
    return s;
  }
  return { small, streamed, last };
}
