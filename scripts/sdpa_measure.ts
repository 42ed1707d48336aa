// Share of bit-identical outputs of 4-D float32 scaled_dot_product_attention
// against real PyTorch, per case of scripts/sdpa_bits.py, for the engine's
// flash-attention kernel and for the composed formula Mask Lens used before
// (matmul, scale, mask, softmax, matmul). Dev tool, not part of the tests:
//
//   /work/venv/bin/python scripts/sdpa_bits.py --full /tmp/sdpa_full
//   node --import tsx scripts/sdpa_measure.ts /tmp/sdpa_full

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flashAttention32 } from '../src/engine/kernels/flash_attention32';
import { binary, unary, where } from '../src/engine/ops/core';
import { maskedFill, softmax, tril } from '../src/engine/ops/compose';
import { matmul, reduce } from '../src/engine/ops/reduce';
import { expand, transpose } from '../src/engine/ops/shape';
import { Tensor } from '../src/engine/tensor';
import { type SdpaCase, sdpaInputs } from '../test/unit/sdpa_inputs';

type Case = SdpaCase;

function inputs(c: Case) {
  const { q, k, v, mask } = sdpaInputs(c);
  const boolMask = mask instanceof Uint8Array ? mask : null;
  const additive = boolMask ? Float32Array.from(boolMask, (keep) => (keep ? 0 : -Infinity)) : (mask as Float32Array | null);
  return { q, k, v, mask: additive, boolMask };
}

function flash(c: Case): Float32Array {
  const { q, k, v, mask } = inputs(c);
  const [B, H, L, E] = c.q, S = c.kv[2];
  const out = new Float32Array(B * H * L * E);
  let fm = null;
  if (mask) {
    const ms = [1, 1, 1, 1].slice(0, 4 - c.mask_shape!.length).concat(c.mask_shape!);
    const st = [0, 0, 0, 0] as [number, number, number, number];
    let acc = 1;
    for (let d = 3; d >= 0; d--) {
      st[d] = ms[d] === 1 ? 0 : acc;
      acc *= ms[d];
    }
    fm = { data: mask, offset: 0, strides: st };
  }
  flashAttention32(q, k, v, fm, B, H, L, S, E, c.is_causal, c.scale ?? 1 / Math.sqrt(E), out);
  return out;
}

/** The composed formula of src/frameworks/torch/nn.ts before the flash kernel. */
function composed(c: Case): Float32Array {
  const { q, k, v, boolMask, mask } = inputs(c);
  const E = c.q[3], L = c.q[2], S = c.kv[2];
  const qt = Tensor.fromData('float32', c.q, q), kt = Tensor.fromData('float32', c.kv, k), vt = Tensor.fromData('float32', c.kv, v);
  let scores = binary('mul', matmul(qt, transpose(kt, -2, -1)), c.scale ?? 1 / Math.sqrt(E));
  if (c.is_causal) {
    const keep = tril(Tensor.fromData('bool', [L, S], new Uint8Array(L * S).fill(1)));
    scores = maskedFill(scores, unary('not', keep, 'bool'), -Infinity);
  }
  if (boolMask) scores = maskedFill(scores, unary('not', expand(Tensor.fromData('bool', c.mask_shape!, boolMask), scores.shape), 'bool'), -Infinity);
  else if (mask) scores = binary('add', scores, Tensor.fromData('float32', c.mask_shape!, mask));
  const fully = binary('eq', reduce('max', scores, -1, true), -Infinity);
  return Float32Array.from(matmul(where(fully, 0, softmax(scores, -1)), vt).values());
}

const dir = process.argv[2] ?? '/tmp/sdpa_full';
const doc = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as { cases: Case[] };
let tb = 0, tf = 0, tn = 0;
doc.cases.forEach((c, i) => {
  const buf = readFileSync(join(dir, `${i}.bin`));
  const want = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const share = (got: Float32Array) => {
    const g = new Int32Array(got.buffer);
    let same = 0;
    for (let j = 0; j < want.length; j++) if (g[j] === want[j] || (Number.isNaN(got[j]) && want[j] !== want[j])) same++;
    return same;
  };
  const before = process.argv.includes('--no-before') ? 0 : share(composed(c));
  const after = share(flash(c));
  tb += before; tf += after; tn += want.length;
  console.log(`${c.name.padEnd(52)} ${String(want.length).padStart(7)}  before ${(100 * before / want.length).toFixed(2).padStart(6)}%  after ${(100 * after / want.length).toFixed(2).padStart(6)}%`);
});
console.log(`${'all'.padEnd(52)} ${String(tn).padStart(7)}  before ${(100 * tb / tn).toFixed(2).padStart(6)}%  after ${(100 * tf / tn).toFixed(2).padStart(6)}%`);
