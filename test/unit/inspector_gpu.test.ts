// The inspector's choice of who computes a large softmax view's probabilities
// (webview/gpuView.ts probabilitiesOnGpu), with a stand-in for the GPU module:
// the setting, the renderer rule (select.ts's isAccelerated), a failed kernel
// and the checksum comparison each decide, and the badge says which.
// test/browser/inspector_gpu.mjs runs the real gpu.js module in Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedSoftmaxJs } from '../../src/engine/kernels/gpu';
import { rowChecksums } from '../../src/render/checksum';
import type { MaskLensGpu } from '../../webview/gpu';
import { fromWireOperands, overGpuThreshold, probabilitiesOnGpu, type ViewOperands } from '../../webview/gpuView';
import { bytesToBase64 } from '../../src/vscode/base64';

const rows = 4, cols = 6;
const scores = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 3);
const mask = Uint8Array.from({ length: rows * cols }, (_, i) => (i % cols > (i / cols | 0) + 1 || i >= 3 * cols ? 1 : 0));
const cpu = new Float32Array(rows * cols);
maskedSoftmaxJs(scores, { data: mask, strides: [cols, 1], offset: 0 }, rows, cols, -Infinity, cpu);
const operands: ViewOperands = { rows, cols, scores, mask, fill: -Infinity, reference: rowChecksums(cpu, rows, cols) };

/** A GPU module on `renderer` whose kernel returns `values` (or fails). */
function fakeGpu(renderer: string | null, mode: string | null, values: Float32Array | 'fail'): MaskLensGpu & { calls: number } {
  const g = {
    calls: 0,
    probe: () => ({ mode, renderer, accelerated: mode === 'webgl2' && !!renderer && !/swiftshader|llvmpipe/i.test(renderer) }),
    maskedSoftmax: () => {
      g.calls++;
      return values === 'fail' ? { values: new Float32Array(rows * cols), onGpu: false, failure: 'context lost', ms: 1 } : { values, onGpu: true, failure: null, ms: 2 };
    },
  };
  return g;
}

const HW = 'ANGLE (NVIDIA, NVIDIA H200 Direct3D11)';
const SW = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';

test('a hardware renderer: the GPU values are drawn when every row checksum matches', () => {
  const g = fakeGpu(HW, 'webgl2', Float32Array.from(cpu, (x) => x * (1 + 1e-7)));
  const r = probabilitiesOnGpu('auto', g, operands);
  assert.equal(r.by.backend, 'gpu');
  assert.equal(r.by.label, `GPU: ${HW}`);
  assert.equal(r.by.checksum, 'match');
  assert.ok(r.values);
});

test('a checksum mismatch draws the CPU values and says so', () => {
  const off = Float32Array.from(cpu);
  off[1 * cols + 1] += 0.01;
  const r = probabilitiesOnGpu('auto', fakeGpu(HW, 'webgl2', off), operands);
  assert.equal(r.values, null);
  assert.equal(r.by.backend, 'cpu');
  assert.equal(r.by.label, 'CPU (checksum mismatch)');
  assert.equal(r.by.checksum, 'mismatch');
  assert.match(r.by.detail, /row 1's checksum/);
  // a fully masked row that the GPU did not leave NaN is a mismatch too
  const filled = Float32Array.from(cpu, (x) => (Number.isNaN(x) ? 1 / cols : x));
  assert.equal(probabilitiesOnGpu('auto', fakeGpu(HW, 'webgl2', filled), operands).by.checksum, 'mismatch');
});

test("software GL: 'auto' does not run the kernel, 'on' does", () => {
  const g = fakeGpu(SW, 'webgl2', Float32Array.from(cpu));
  const auto = probabilitiesOnGpu('auto', g, operands);
  assert.equal(auto.by.label, 'CPU (software GL)');
  assert.equal(auto.values, null);
  assert.equal(g.calls, 0);
  const on = probabilitiesOnGpu('on', g, operands);
  assert.equal(on.by.backend, 'gpu');
  assert.match(on.by.detail, /software GL forced/);
  assert.equal(g.calls, 1);
});

test("'off', no module, no context, a failed kernel: the CPU values", () => {
  const g = fakeGpu(HW, 'webgl2', Float32Array.from(cpu));
  assert.equal(probabilitiesOnGpu('off', g, operands).by.label, 'CPU');
  assert.equal(g.calls, 0);
  assert.equal(probabilitiesOnGpu('on', null, operands).by.label, 'CPU (no gpu.js)');
  assert.equal(probabilitiesOnGpu('on', fakeGpu(null, null, cpu), operands).by.label, 'CPU (no WebGL)');
  const failed = probabilitiesOnGpu('on', fakeGpu(HW, 'webgl2', 'fail'), operands);
  assert.equal(failed.by.label, 'CPU (GPU failed)');
  assert.match(failed.by.detail, /context lost/);
});

test('maskLens.gpu.threshold: a softmax of no more elements than it stays on the CPU, a larger one goes to the GPU', () => {
  const g = fakeGpu(HW, 'webgl2', Float32Array.from(cpu));
  // [8, 8, 32, 32] = 65,536 elements: not more than the default threshold
  const at = probabilitiesOnGpu('on', g, operands, { elements: 65536, threshold: 65536 });
  assert.equal(at.values, null);
  assert.equal(at.by.label, 'CPU (under threshold)');
  assert.match(at.by.detail, /65,536 elements, not more than maskLens\.gpu\.threshold \(65,536\)/);
  assert.equal(g.calls, 0, 'the kernel does not run under the threshold');
  // a threshold the user raised keeps a [8, 8, 64, 64] softmax on the CPU, even with 'on'
  assert.equal(probabilitiesOnGpu('on', g, operands, { elements: 262144, threshold: 1_000_000 }).by.label, 'CPU (under threshold)');
  assert.equal(g.calls, 0);
  const over = probabilitiesOnGpu('auto', g, operands, { elements: 65537, threshold: 65536 });
  assert.equal(over.by.backend, 'gpu');
  assert.equal(g.calls, 1);
  // 'off' says 'off' first, whatever the size
  assert.equal(probabilitiesOnGpu('off', g, operands, { elements: 10, threshold: 65536 }).by.label, 'CPU');
  assert.ok(overGpuThreshold(undefined) && overGpuThreshold({ elements: 65537, threshold: 65536 }) && !overGpuThreshold({ elements: 65536, threshold: 65536 }));
});

test('operands survive the wire (base64 of float32 scores, 0/1 mask, float64 checksums; -inf fill)', () => {
  const b64 = (a: Float32Array | Float64Array | Uint8Array) => bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const o = fromWireOperands({ rows, cols, scores: b64(scores), mask: b64(mask), fill: '-inf', reference: b64(operands.reference) });
  assert.deepEqual(o.scores, scores);
  assert.deepEqual(o.mask, mask);
  assert.equal(o.fill, -Infinity);
  assert.deepEqual(o.reference, operands.reference);
  assert.equal(fromWireOperands({ rows, cols, scores: b64(scores), fill: -1e9, reference: b64(operands.reference) }).mask, undefined);
});

test('the operands messages pass the protocol guards; malformed ones do not', async () => {
  const { isHostToWebviewMessage, isWebviewToHostMessage } = await import('../../src/vscode/protocol');
  assert.ok(isWebviewToHostMessage({ type: 'requestOperands', id: 3, variable: 'probs', index: [1, 0] }));
  assert.ok(!isWebviewToHostMessage({ type: 'requestOperands', id: 3, variable: 'probs', index: ['1'] }));
  assert.ok(!isWebviewToHostMessage({ type: 'requestOperands', variable: 'probs', index: [] }));
  assert.ok(isHostToWebviewMessage({ type: 'operands', id: 3, operands: null }));
  assert.ok(!isHostToWebviewMessage({ type: 'operands', operands: null }));
});
