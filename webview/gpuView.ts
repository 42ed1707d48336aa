// A large softmax view computed in the webview (issue #15): the host sends
// the view's operands (scores, mask, fill: about 5 bytes a cell, never the
// whole tensor) with the CPU reference's row checksums; the page runs the
// masked softmax on gpu.js (webview/gpu.ts, loaded on first use) and keeps
// its values only when their checksums match the reference's. Software GL
// renderers (select.ts's rule), a failed kernel, the setting 'off' and a
// mismatch all show the evaluation worker's CPU values instead; `ComputedBy`
// says which drew the view and why. No DOM here but the script loader.
import { compareChecksums, rowChecksums } from '../src/render/checksum';
import { base64ToBytes } from '../src/vscode/base64';
import type { InspectorGpu, WireOperands } from '../src/vscode/protocol';
import type { MaskLensGpu } from './gpu';

/** One [rows, cols] view's softmax operands, decoded (protocol.ts WireOperands). */
export interface ViewOperands {
  rows: number;
  cols: number;
  scores: Float32Array;
  /** 1 where the fill was written; absent for a plain softmax. */
  mask?: Uint8Array;
  fill: number;
  /** The CPU reference's row checksums (src/render/checksum.ts). */
  reference: Float64Array;
}

export function fromWireOperands(w: WireOperands): ViewOperands {
  const f32 = (b64: string) => new Float32Array(base64ToBytes(b64).buffer);
  const fill = typeof w.fill === 'number' ? w.fill : w.fill === 'nan' ? NaN : w.fill === 'inf' ? Infinity : w.fill === '-inf' ? -Infinity : Number(w.fill);
  return { rows: w.rows, cols: w.cols, scores: f32(w.scores), ...(w.mask ? { mask: base64ToBytes(w.mask) } : {}), fill, reference: new Float64Array(base64ToBytes(w.reference).buffer) };
}

/** Which backend computed the probabilities drawn, for the inspector's badge. */
export interface ComputedBy {
  backend: 'gpu' | 'cpu';
  /** The badge: "GPU: <renderer>", "CPU (software GL)", "CPU (checksum mismatch)", ... */
  label: string;
  /** A sentence for the badge's tooltip. */
  detail: string;
  renderer: string | null;
  /** 'match' / 'mismatch': the GPU values' checksums against the CPU reference's; 'none': not compared. */
  checksum: 'match' | 'mismatch' | 'none';
  /** Largest row checksum difference, where compared. */
  worstDiff?: number;
  /** Milliseconds gpu.js took (upload, kernels, readback), where it ran. */
  gpuMs?: number;
}

/**
 * The softmax's size against maskLens.gpu.threshold: `elements` is the whole
 * tensor's element count (not the view's), so every view of one softmax is
 * computed in the same place.
 */
export interface GpuSize {
  elements: number;
  threshold: number;
}

/** Whether a softmax of `size` may go to the GPU at all: more elements than the threshold (no size: yes). */
export function overGpuThreshold(size: GpuSize | undefined): boolean {
  return !size || size.elements > size.threshold;
}

/**
 * The probabilities of one view: gpu.js's values (when `setting`, the
 * softmax's size against maskLens.gpu.threshold and the renderer allow it,
 * the kernels ran on the GL context, and every row checksum is within
 * ROW_CHECKSUM_TOLERANCE of the reference's), else null, meaning "draw the
 * worker's CPU values"; either way, who computed them.
 */
export function probabilitiesOnGpu(setting: InspectorGpu, gpu: MaskLensGpu | null, o: ViewOperands, size?: GpuSize): { values: Float32Array | null; by: ComputedBy } {
  const cpu = (label: string, detail: string, renderer: string | null = null, extra: Partial<ComputedBy> = {}) =>
    ({ values: null, by: { backend: 'cpu' as const, label, detail, renderer, checksum: 'none' as const, ...extra } });
  if (setting === 'off') return cpu('CPU', 'maskLens.inspector.gpu is off: the evaluation worker computed these values.');
  if (size && !overGpuThreshold(size)) {
    const n = (x: number) => x.toLocaleString('en-US');
    return cpu('CPU (under threshold)', `This softmax has ${n(size.elements)} elements, not more than maskLens.gpu.threshold (${n(size.threshold)}): the evaluation worker computed these values.`);
  }
  if (!gpu) return cpu('CPU (no gpu.js)', 'The GPU module did not load: the evaluation worker computed these values.');
  const probe = gpu.probe();
  if (!probe.mode) return cpu('CPU (no WebGL)', 'gpu.js found no WebGL2 or WebGL context here: the evaluation worker computed these values.');
  if (!probe.accelerated && setting === 'auto') {
    return cpu('CPU (software GL)', `The webview's GL renderer is a software rasterizer (${probe.renderer ?? probe.mode}): the evaluation worker computed these values (maskLens.inspector.gpu "on" forces gpu.js).`, probe.renderer);
  }
  const r = gpu.maskedSoftmax(o.scores, o.mask ?? null, o.rows, o.cols, o.fill);
  if (!r.onGpu) return cpu('CPU (GPU failed)', `gpu.js could not run the kernel (${r.failure ?? 'unknown'}): the evaluation worker computed these values.`, probe.renderer);
  const verdict = compareChecksums(rowChecksums(r.values, o.rows, o.cols), o.reference);
  if (!verdict.match) {
    return cpu('CPU (checksum mismatch)', `gpu.js's result differs from the CPU reference (row ${verdict.worstRow}'s checksum by ${verdict.worstDiff.toExponential(2)}): these are the CPU values.`, probe.renderer, { checksum: 'mismatch', worstDiff: verdict.worstDiff, gpuMs: r.ms });
  }
  return {
    values: r.values,
    by: {
      backend: 'gpu', label: `GPU: ${probe.renderer ?? probe.mode}`, renderer: probe.renderer, checksum: 'match', worstDiff: verdict.worstDiff, gpuMs: r.ms,
      detail: `Computed in this view with gpu.js (${probe.mode}${probe.accelerated ? '' : ', software GL forced by maskLens.inspector.gpu "on"'}) in ${r.ms.toFixed(0)} ms; every row checksum matches the CPU reference's (largest difference ${verdict.worstDiff.toExponential(2)}).`,
    },
  };
}

let loading: Promise<MaskLensGpu | null> | undefined;

/** Load dist/webview-gpu.js once, with the page's CSP nonce; null when it cannot load. */
export function loadGpuModule(src: string | undefined, nonce: string | undefined): Promise<MaskLensGpu | null> {
  loading ??= new Promise((resolve) => {
    if (!src) return resolve(null);
    const s = document.createElement('script');
    if (nonce) s.nonce = nonce;
    s.src = src;
    s.onload = () => resolve((globalThis as unknown as { maskLensGpu?: MaskLensGpu }).maskLensGpu ?? null);
    s.onerror = () => resolve(null);
    document.head.append(s);
  });
  return loading;
}
