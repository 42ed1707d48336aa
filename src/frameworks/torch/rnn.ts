// Packed sequences and the recurrent layers that read them, after
// torch/nn/utils/rnn.py and torch/nn/modules/rnn.py (PyTorch 2.x):
// pack_padded_sequence (enforce_sorted, sorted_indices), pad_packed_sequence
// (total_length), PackedSequence, and nn.RNN / nn.GRU / nn.LSTM (layers,
// bidirectional, batch_first, dropout between layers while training) over
// padded or packed input. A packed row
// stops at its length: its final hidden state is the one at its last real
// step, and the reverse direction starts there, as cuDNN/ATen do.

import { runtimeError } from '../../engine/errors';
import { binary, cast, unary } from '../../engine/ops/core';
import { matmul } from '../../engine/ops/reduce';
import { indexSelect } from '../../engine/ops/indexing';
import { cat, reshape, select, slice, stack, transpose } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, PyClass, PyList, PyModule, PyNamedTuple, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue } from '../common';
import { dropoutTensor, fn, layer, parameter, uniformTensor } from './nnbase';
import { TorchTensor, filled, tensorArg, toTorchData, track } from './tensor';

const PACKED = 'torch.nn.utils.rnn.PackedSequence';
const FIELDS = ['data', 'batch_sizes', 'sorted_indices', 'unsorted_indices'];

/** PackedSequence is a namedtuple in PyTorch; the class only serves isinstance(). */
function packedClass(): PyClass {
  const c = new PyClass('PackedSequence', [], PACKED);
  (c as PyClass & { matches?: (v: PyValue) => boolean }).matches = isPacked;
  return c;
}

function isPacked(v: PyValue | undefined): v is PyNamedTuple {
  return v instanceof PyNamedTuple && v.fullName === PACKED;
}

/** repr as torch prints it: PackedSequence(data=tensor(...), batch_sizes=..., ...). */
class PackedSequence extends PyNamedTuple {
  override repr(ctx: CallContext): string {
    return `PackedSequence(${FIELDS.map((f, i) => `${f}=${ctx.repr(this.items[i])}`).join(', ')})`;
  }
}

interface Packed {
  data: Tensor; // [sum(batch_sizes), *]
  batchSizes: number[];
  sorted: number[] | null; // sorted_indices
  unsorted: number[] | null;
}

function makePacked(p: Packed, data: TorchTensor = new TorchTensor(p.data)): PackedSequence {
  const idx = (xs: number[] | null) => (xs === null ? null : new TorchTensor(toLong(xs)));
  return new PackedSequence([data, new TorchTensor(toLong(p.batchSizes)), idx(p.sorted), idx(p.unsorted)], PACKED, FIELDS);
}

function readPacked(v: PyNamedTuple): Packed {
  const ints = (i: number) => {
    const x = v.items[i];
    return x instanceof ArrayValue ? Array.from(x.t.values()) : null;
  };
  return { data: (v.items[0] as TorchTensor).t, batchSizes: ints(1)!, sorted: ints(2), unsorted: ints(3) };
}

function toLong(xs: number[]): Tensor {
  const t = Tensor.empty('int64', [xs.length]);
  t.storage.data.set(xs);
  return t;
}

/** Padded [T, B, *] (time-major, rows already in sorted order) to packed data. */
function packTimeMajor(x: Tensor, lengths: number[]): { data: Tensor; batchSizes: number[] } {
  const T = lengths[0] ?? 0;
  const batchSizes: number[] = [];
  const parts: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const bs = lengths.filter((l) => l > t).length;
    batchSizes.push(bs);
    parts.push(slice(select(x, 0, t), 0, 0, bs));
  }
  return { data: cat(parts, 0), batchSizes };
}

/** Packed data back to padded [T, B, *] in sorted order, with padding_value, and each row's length. */
function unpackTimeMajor(p: Packed, total: number, value: number): { padded: Tensor; lengths: number[] } {
  const B = p.batchSizes[0] ?? 0;
  const feat = p.data.shape.slice(1);
  const rows: Tensor[] = [];
  let off = 0;
  for (let t = 0; t < total; t++) {
    const bs = t < p.batchSizes.length ? p.batchSizes[t] : 0;
    const real = bs > 0 ? slice(p.data, 0, off, off + bs) : null;
    off += bs;
    const pad = B - bs > 0 ? filled([B - bs, ...feat], value, p.data.dtype) : null;
    rows.push(real && pad ? cat([real, pad], 0) : real ?? pad!);
  }
  const lengths = Array.from({ length: B }, (_, b) => p.batchSizes.filter((bs) => bs > b).length);
  return { padded: stack(rows, 0), lengths };
}

function indexSelectDim(x: Tensor, dim: number, order: number[]): Tensor {
  return indexSelect(x, dim, toLong(order));
}

function invert(perm: number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
}

type RecurrentKind = 'RNN_TANH' | 'RNN_RELU' | 'GRU' | 'LSTM';

/** One direction of one layer over time-major x [T, B, I] with per-row lengths; returns outputs [T, B, H] and h_n (and c_n). */
function runDirection(kind: RecurrentKind, x: Tensor, lengths: number[], w: { ih: Tensor; hh: Tensor; bih: Tensor | null; bhh: Tensor | null; hr?: Tensor | null },
  h0: Tensor, c0: Tensor | null, reverse: boolean): { out: Tensor; h: Tensor; c: Tensor | null } {
  const [T, B] = x.shape;
  // the gates' width (hidden_size); h itself is proj_size wide under an LSTM projection
  const H = w.ih.shape[0] / (kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1);
  let h = h0, c = c0;
  const outs: Tensor[] = new Array(T);
  // input projections for all steps at once, as ATen does: x @ W_ih^T + b_ih
  let gx = matmul(x, transpose(w.ih, 0, 1));
  if (w.bih) gx = binary('add', gx, w.bih);
  const live = (t: number) => {
    const m = Tensor.empty('bool', [B, 1]);
    for (let b = 0; b < B; b++) m.storage.data[b] = t < lengths[b] ? 1 : 0;
    return m;
  };
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const xi = select(gx, 0, t);
    let gh = matmul(h, transpose(w.hh, 0, 1));
    if (w.bhh) gh = binary('add', gh, w.bhh);
    const part = (g: Tensor, k: number) => slice(g, 1, k * H, (k + 1) * H);
    let hNew: Tensor, cNew: Tensor | null = null;
    if (kind === 'RNN_TANH' || kind === 'RNN_RELU') {
      // Elman cell: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)
      const pre = binary('add', xi, gh);
      hNew = kind === 'RNN_TANH' ? unary('tanh', pre) : binary('maximum', pre, 0);
    } else if (kind === 'GRU') {
      const r = unary('sigmoid', binary('add', part(xi, 0), part(gh, 0)));
      const z = unary('sigmoid', binary('add', part(xi, 1), part(gh, 1)));
      const n = unary('tanh', binary('add', part(xi, 2), binary('mul', r, part(gh, 2))));
      // h' = (1 - z) * n + z * h, written as n + z * (h - n) in ATen's GRU cell
      hNew = binary('add', n, binary('mul', z, binary('sub', h, n)));
    } else {
      const g = binary('add', xi, gh);
      const i = unary('sigmoid', part(g, 0)), f = unary('sigmoid', part(g, 1));
      const gg = unary('tanh', part(g, 2)), o = unary('sigmoid', part(g, 3));
      cNew = binary('add', binary('mul', f, c!), binary('mul', i, gg));
      hNew = binary('mul', o, unary('tanh', cNew));
      // proj_size: h = (o * tanh(c)) W_hr^T
      if (w.hr) hNew = matmul(hNew, transpose(w.hr, 0, 1));
    }
    const m = live(t);
    h = whereRows(m, hNew, h);
    if (c && cNew) c = whereRows(m, cNew, c);
    outs[t] = whereRows(m, hNew, filled([B, hNew.shape[1]], 0, h.dtype));
  }
  return { out: stack(outs, 0), h, c };
}

function whereRows(mask: Tensor, a: Tensor, b: Tensor): Tensor {
  const m = cast(mask, a.dtype);
  return binary('add', binary('mul', m, a), binary('mul', binary('sub', 1, m), b));
}

/**
 * Dropout on one layer's output before the next layer reads it (RNNBase's
 * `dropout`, training only, all but the last layer), as ATen's _rnn_impl does:
 * at::dropout over the padded [T, B, H'] output, or over the packed data only
 * (sum(batch_sizes) rows, so the generator advances by that many draws).
 */
function dropBetweenLayers(out: Tensor, lengths: number[], packed: boolean, p: number): Tensor {
  if (!packed) return dropoutTensor(out, p);
  const { data, batchSizes } = packTimeMajor(out, lengths);
  return unpackTimeMajor({ data: dropoutTensor(data, p), batchSizes, sorted: null, unsorted: null }, out.shape[0], 0).padded;
}

/** Registers pack_padded_sequence / pad_packed_sequence / PackedSequence and nn.RNN / nn.GRU / nn.LSTM. */
export function addRecurrent(nn: PyModule, rnnUtils: PyModule, Module: PyClass): void {
  const Packed = packedClass();
  rnnUtils.dict.set('PackedSequence', Packed);
  nn.dict.set('utils', nn.dict.get('utils')!);

  rnnUtils.dict.set('pack_padded_sequence', fn('pack_padded_sequence', (args, kw, ctx) => {
    const a = bind('pack_padded_sequence', args, kw, ['input', 'lengths', 'batch_first?', 'enforce_sorted?']);
    let x = tensorArg(a.input, 'pack_padded_sequence');
    const lens = a.lengths instanceof ArrayValue ? Array.from(a.lengths.t.values()) : Array.from(toTorchData(a.lengths!, ctx, 'int64').values());
    if (toBool(a.batch_first, ctx)) x = transpose(x, 0, 1);
    const enforce = toBool(a.enforce_sorted, ctx, true);
    let sorted: number[] | null = null;
    let order = lens.map((_, i) => i);
    if (enforce) {
      for (let i = 1; i < lens.length; i++) {
        if (lens[i] > lens[i - 1]) {
          throw runtimeError('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
        }
      }
    } else {
      order = [...order].sort((i, j) => lens[j] - lens[i] || i - j);
      sorted = order;
      x = indexSelectDim(x, 1, order);
    }
    const sortedLens = order.map((i) => lens[i]);
    if (sortedLens.some((l) => l <= 0)) {
      throw runtimeError('Length of all samples has to be greater than 0, but found an element in \'lengths\' that is <= 0');
    }
    if (sortedLens[0] > x.shape[0]) throw runtimeError(`Expected sequence length to be larger than 0 in RNN`);
    const { data, batchSizes } = packTimeMajor(x, sortedLens);
    return makePacked({ data, batchSizes, sorted, unsorted: sorted && invert(sorted) });
  }));

  rnnUtils.dict.set('pad_packed_sequence', fn('pad_packed_sequence', (args, kw, ctx) => {
    const a = bind('pad_packed_sequence', args, kw, ['sequence', 'batch_first?', 'padding_value?', 'total_length?']);
    if (!isPacked(a.sequence)) throw pyError('AttributeError', `'${a.sequence === undefined ? 'NoneType' : 'Tensor'}' object has no attribute 'batch_sizes'`);
    const p = readPacked(a.sequence);
    const src = a.sequence.items[0];
    const maxLen = p.batchSizes.length;
    let total = maxLen;
    if (a.total_length !== undefined && a.total_length !== null) {
      total = toInt(a.total_length, 'total_length');
      if (total < maxLen) {
        throw pyError('ValueError', `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${maxLen}`);
      }
    }
    let { padded, lengths } = unpackTimeMajor(p, total, a.padding_value === undefined ? 0 : toFloat(a.padding_value, 'padding_value'));
    if (p.unsorted) {
      padded = indexSelectDim(padded, 1, p.unsorted);
      lengths = p.unsorted.map((i) => lengths[i]);
    }
    const batchFirst = toBool(a.batch_first, ctx);
    if (batchFirst) padded = transpose(padded, 0, 1);
    // grad_fn as PyTorch names the last op: the unsort, the batch_first transpose, or the copy into the padded buffer
    const op = p.unsorted ? 'index_select' : batchFirst ? 'transpose' : 'CopySlices';
    return new PyTuple([track(new TorchTensor(padded), op, src), new TorchTensor(toLong(lengths))]);
  }));

  for (const name of ['RNN', 'GRU', 'LSTM'] as const) {
    const gates = name === 'RNN' ? 1 : name === 'GRU' ? 3 : 4;
    // nn.RNN takes nonlinearity as its 4th positional argument (torch/nn/modules/rnn.py RNN.__init__)
    const params = ['input_size', 'hidden_size', 'num_layers?', ...(name === 'RNN' ? ['nonlinearity?'] : []), 'bias?', 'batch_first?', 'dropout?', 'bidirectional?', 'proj_size?', 'device?', 'dtype?'];
    nn.dict.set(name, layer(name, Module, (self, args, kw, ctx) => {
      const a = bind(name, args, kw, params);
      let mode: RecurrentKind = name === 'RNN' ? 'RNN_TANH' : name;
      if (name === 'RNN') {
        const nl = a.nonlinearity === undefined ? 'tanh' : a.nonlinearity;
        if (nl === 'relu') mode = 'RNN_RELU';
        else if (nl !== 'tanh') throw pyError('ValueError', `Unknown nonlinearity '${ctx.str(nl)}'. Select from 'tanh' or 'relu'.`);
        self.dict.set('nonlinearity', nl);
      }
      self.dict.set('mode', mode);
      const I = toInt(a.input_size, 'input_size'), H = toInt(a.hidden_size, 'hidden_size');
      const L = a.num_layers === undefined ? 1 : toInt(a.num_layers, 'num_layers');
      const bias = toBool(a.bias, ctx, true), dirs = toBool(a.bidirectional, ctx) ? 2 : 1;
      const dropout = a.dropout === undefined ? 0 : a.dropout;
      const p = typeof dropout === 'boolean' ? NaN : toFloat(dropout, 'dropout');
      if (!(p >= 0 && p <= 1)) throw pyError('ValueError', 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
      if (p > 0 && L === 1) {
        ctx.warn(`UserWarning: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${ctx.repr(dropout)} and num_layers=${L}`);
      }
      const P = a.proj_size === undefined ? 0 : toInt(a.proj_size, 'proj_size');
      if (P < 0) throw pyError('ValueError', 'proj_size should be a positive integer or zero to disable projections');
      if (P >= H && P > 0) throw pyError('ValueError', 'proj_size has to be smaller than hidden_size');
      if (P > 0 && name !== 'LSTM') throw pyError('ValueError', 'proj_size argument is only supported for LSTM, not RNN or GRU');
      for (const [k, v] of [['input_size', I], ['hidden_size', H], ['num_layers', L], ['proj_size', P]] as const) self.dict.set(k, BigInt(v));
      self.dict.set('bias', bias);
      self.dict.set('batch_first', toBool(a.batch_first, ctx));
      self.dict.set('dropout', p);
      self.dict.set('bidirectional', dirs === 2);
      // reset_parameters: every weight uniform(-1/sqrt(H), 1/sqrt(H)), in _flat_weights order
      const bound = 1 / Math.sqrt(H);
      for (let l = 0; l < L; l++) {
        for (let d = 0; d < dirs; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const out = P > 0 ? P : H;
          const inF = l === 0 ? I : out * dirs;
          self.dict.set(`weight_ih${sfx}`, parameter(Tensor.empty('float32', [gates * H, inF])));
          self.dict.set(`weight_hh${sfx}`, parameter(Tensor.empty('float32', [gates * H, out])));
          if (bias) {
            self.dict.set(`bias_ih${sfx}`, parameter(Tensor.empty('float32', [gates * H])));
            self.dict.set(`bias_hh${sfx}`, parameter(Tensor.empty('float32', [gates * H])));
          }
          if (P > 0) self.dict.set(`weight_hr${sfx}`, parameter(Tensor.empty('float32', [P, H])));
        }
      }
      for (const [, v] of self.dict) {
        if (v instanceof TorchTensor && v.isParameter) v.t.storage.data.set(uniformTensor([...v.t.shape], bound).storage.data);
      }
    }, (self, args, kw, ctx) => {
      const a = bind('forward', args, kw, ['input', 'hx?']);
      const H = Number(self.dict.get('hidden_size')), L = Number(self.dict.get('num_layers'));
      const dirs = self.dict.get('bidirectional') === true ? 2 : 1;
      const batchFirst = self.dict.get('batch_first') === true;
      const packedIn = isPacked(a.input) ? readPacked(a.input) : null;
      let x: Tensor, lengths: number[];
      if (packedIn) {
        const u = unpackTimeMajor(packedIn, packedIn.batchSizes.length, 0);
        x = u.padded;
        lengths = u.lengths;
      } else {
        x = tensorArg(a.input, 'forward');
        if (x.ndim === 2) throw pyError('NotImplementedError', `unbatched input to nn.${name} is not supported by Mask Lens yet`);
        if (batchFirst) x = transpose(x, 0, 1);
        lengths = new Array(x.shape[1]).fill(x.shape[0]);
      }
      const B = x.shape[1];
      const sortedOrder = packedIn?.sorted ?? null;
      // hx is given in the caller's batch order; packed runs in sorted order
      // h is proj_size wide under an LSTM projection, c stays hidden_size wide
      const P = Number(self.dict.get('proj_size') ?? 0n), HO = P > 0 ? P : H;
      const initial = (v: PyValue | undefined, width = HO): Tensor => {
        if (!(v instanceof ArrayValue)) return filled([L * dirs, B, width], 0, x.dtype);
        return sortedOrder ? indexSelectDim(v.t, 1, sortedOrder) : v.t;
      };
      const I = Number(self.dict.get('input_size'));
      if (x.shape[2] !== I) throw runtimeError(`input.size(-1) must be equal to input_size. Expected ${I}, got ${x.shape[2]}`);
      let h0: Tensor, c0: Tensor | null = null;
      const given = a.hx === undefined || a.hx === null ? undefined : a.hx;
      if (name === 'LSTM') {
        const pair = given === undefined ? [undefined, undefined] : lstmState(given);
        pair.forEach((v, i) => {
          const want = [L * dirs, B, i === 0 ? HO : H];
          if (v && v.t.shape.some((d, j) => d !== want[j])) throw runtimeError(`Expected hidden[${i}] size (${want.join(', ')}), got [${v.t.shape.join(', ')}]`);
        });
        h0 = initial(pair[0]);
        c0 = initial(pair[1], H);
      } else {
        if (given !== undefined) checkHidden(given, [L * dirs, B, H]);
        h0 = initial(given);
      }
      const hs: Tensor[] = [], cs: Tensor[] = [];
      let input = x;
      const p = (k: string) => (self.dict.get(k) as TorchTensor | null)?.t ?? null;
      const mode = self.dict.get('mode') as RecurrentKind;
      const dropout = ctx.truthy(self.dict.get('training') ?? true) ? Number(self.dict.get('dropout') ?? 0) : 0;
      for (let l = 0; l < L; l++) {
        const outs: Tensor[] = [];
        for (let d = 0; d < dirs; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const k = l * dirs + d;
          const r = runDirection(mode, input, lengths, { ih: p(`weight_ih${sfx}`)!, hh: p(`weight_hh${sfx}`)!, bih: p(`bias_ih${sfx}`), bhh: p(`bias_hh${sfx}`), hr: p(`weight_hr${sfx}`) },
            select(h0, 0, k), c0 && select(c0, 0, k), d === 1);
          outs.push(r.out);
          hs.push(r.h);
          if (r.c) cs.push(r.c);
        }
        input = dirs === 2 ? cat(outs, 2) : outs[0];
        if (dropout > 0 && l < L - 1) input = dropBetweenLayers(input, lengths, packedIn !== null, dropout);
      }
      let hN = stack(hs, 0), cN = cs.length ? stack(cs, 0) : null;
      if (packedIn?.unsorted) {
        hN = indexSelectDim(hN, 1, packedIn.unsorted);
        if (cN) cN = indexSelectDim(cN, 1, packedIn.unsorted);
      }
      const w = self.dict.get(`weight_ih_l0`)!;
      let output: PyValue;
      if (packedIn) {
        const sortedLens = lengths;
        const { data } = packTimeMajor(input, sortedLens);
        output = makePacked({ data, batchSizes: packedIn.batchSizes, sorted: packedIn.sorted, unsorted: packedIn.unsorted }, track(new TorchTensor(data), 'cat', w));
      } else {
        // grad_fn names of PyTorch's CPU kernels: RNN and GRU stack their steps, LSTM runs the mkldnn layer
        const op = batchFirst ? (name !== 'LSTM' ? 'TransposeBackward1' : 'transpose') : name !== 'LSTM' ? 'stack' : 'MkldnnRnnLayerBackward0';
        output = track(new TorchTensor(batchFirst ? transpose(input, 0, 1) : input), op, a.input!, w);
      }
      const hop = packedIn?.unsorted ? 'index_select' : 'stack';
      const hOut = track(new TorchTensor(hN), hop, w);
      const hidden = name === 'LSTM' ? new PyTuple([hOut, track(new TorchTensor(cN!), hop, w)]) : hOut;
      return new PyTuple([output, hidden]);
    }, (self, ctx) => recurrentRepr(self.dict, ctx)));
  }
  void reshape;
}

/**
 * LSTM's hx as LSTM.forward reads it for batched input: `hx[0]`, `hx[1]`
 * (a tensor is indexed along dim 0, as Python would), each 3-D; sizes are
 * checked by the caller. IndexError / RuntimeError in torch's words.
 */
function lstmState(hx: PyValue): [ArrayValue, ArrayValue] {
  let pair: PyValue[];
  if (hx instanceof PyTuple || hx instanceof PyList) pair = hx.items;
  else if (hx instanceof ArrayValue) pair = hx.t.shape[0] >= 2 ? [new TorchTensor(select(hx.t, 0, 0)), new TorchTensor(select(hx.t, 0, 1))] : [];
  else throw pyError('TypeError', `'${typeNameOf(hx)}' object is not subscriptable`);
  if (pair.length < 2) throw pyError('IndexError', hx instanceof ArrayValue ? `index 1 is out of bounds for dimension 0 with size ${hx.t.shape[0]}` : 'tuple index out of range');
  const [h, c] = pair.map((v) => tensorArg(v, 'forward', 'hx'));
  if (h.ndim !== 3 || c.ndim !== 3) throw runtimeError(`For batched 3-D input, hx and cx should also be 3-D but got (${h.ndim}-D, ${c.ndim}-D) tensors`);
  return [pair[0] as ArrayValue, pair[1] as ArrayValue];
}

/** RNN/GRU hx for batched input (RNNBase.check_forward_args): a 3-D tensor of [layers * directions, batch, hidden]. */
function checkHidden(hx: PyValue, expected: number[]): void {
  if (!(hx instanceof ArrayValue)) throw pyError('AttributeError', `'${typeNameOf(hx)}' object has no attribute 'dim'`);
  if (hx.t.ndim !== 3) throw runtimeError(`For batched 3-D input, hx should also be 3-D but got ${hx.t.ndim}-D tensor`);
  if (hx.t.shape.some((d, i) => d !== expected[i])) throw runtimeError(`Expected hidden size (${expected.join(', ')}), got [${hx.t.shape.join(', ')}]`);
}

/** RNNBase.extra_repr: the sizes, then each option that differs from its default. */
function recurrentRepr(d: Map<string, PyValue>, ctx: CallContext): string {
  let s = `${d.get('input_size')}, ${d.get('hidden_size')}`;
  if (Number(d.get('proj_size') ?? 0n) !== 0) s += `, proj_size=${d.get('proj_size')}`;
  if (Number(d.get('num_layers')) !== 1) s += `, num_layers=${d.get('num_layers')}`;
  if (d.get('bias') !== true) s += `, bias=${ctx.repr(d.get('bias') ?? null)}`;
  if (d.get('batch_first') === true) s += ', batch_first=True';
  if (Number(d.get('dropout') ?? 0) !== 0) s += `, dropout=${ctx.repr(d.get('dropout')!)}`;
  if (d.get('bidirectional') === true) s += ', bidirectional=True';
  return s;
}

export type { CallContext, Kwargs };
