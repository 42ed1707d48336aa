// Maps import names to framework modules. Modules are built once per
// evaluation; their state (seeds, print options, grad mode) lives in the
// evaluation's context (src/engine/context.ts), so it never leaks between runs.

import { stdlibModule } from './stdlib';
import { OpaqueModule } from '../python/opaque';
import { installOptimizers } from './torch/optim';
import type { PyModule } from '../python/values';
import { NumpyArray, makeNumpyModule } from './numpy';
import { makeTorchModule } from './torch/module';
import { makeNn } from './torch/nn';
import { torchSubmodule } from './torch/runtime';
import { makeTensorflowModules } from './tensorflow';
import { makeEinopsModules } from './einops';
import type { FusedCallRule } from '../python/evaluator';
import { MASKED_SOFTMAX_RULE } from './torch/fused';
import { recordDerivations } from '../engine/provenance';
import { recordMaskEvidence } from '../masks/evidence';
import type { Tensor } from '../engine/tensor';
import { annotateMasks } from '../masks/annotate';
import { derivedFor } from '../python/derived';
import type { FrameworkRegistration } from '../python/registration';
import type { Diagnostic, Snapshot } from '../python/result';
import { unsupportedName } from './known';
import { TorchTensor, setNumpyBridge } from './torch/tensor';

/**
 * Every framework, registered for one interpreter (src/python knows none of
 * them): the module loader (torch, numpy, tensorflow/keras, einops, the
 * standard library's stand-ins; any other package a placeholder), the fused call rules, the messages for
 * names the real libraries have and Mask Lens does not, and the timeline
 * passes: mask kinds, legends and value diagnostics (src/masks), then the
 * derivations the inspector explains (softmax, masked_fill, losses).
 */
export function registerFrameworks(): FrameworkRegistration {
  // Tensor.numpy() works whether or not the file imported numpy, as torch's does
  setNumpyBridge((t) => new NumpyArray(t));
  return {
    loader: frameworkLoader,
    placeholderModules: true,
    fusedCalls: FUSED_CALL_RULES,
    unsupportedName,
    recording(on) {
      recordDerivations(on);
      recordMaskEvidence(on);
    },
    annotators: [annotateMasks, annotateDerivations],
  };
}

/** The frameworks' fused call rules, for the interpreter (see FusedCallRule). */
export const FUSED_CALL_RULES: readonly FusedCallRule[] = [MASKED_SOFTMAX_RULE];

/**
 * Snapshot.derived for every snapshot of `timeline` whose tensor came from
 * softmax, masked_fill or a loss (the engine's derivation records), its
 * tensors encoded as torch's; the latest binding of a storage names it.
 */
function annotateDerivations(timeline: Snapshot[], storages: ReadonlyMap<Snapshot, object>): Diagnostic[] {
  const names = new Map<object, string>();
  for (const s of timeline) {
    const storage = storages.get(s);
    if (storage) names.set(storage, s.name);
  }
  const encode = (t: Tensor, inlineElements = Infinity) => new TorchTensor(t).encode(inlineElements);
  for (const s of timeline) {
    const storage = storages.get(s);
    const derived = storage && derivedFor(storage, encode, (st) => names.get(st));
    if (derived) s.derived = derived;
  }
  return [];
}

export function frameworkLoader(): (name: string) => PyModule | undefined {
  const cache = new Map<string, PyModule>();
  let nn: ReturnType<typeof makeNn> | null = null;
  const getNn = () => (nn ??= makeNn());
  let tf: Map<string, PyModule> | null = null;
  let einops: Map<string, PyModule> | null = null;
  const build = (name: string): PyModule | undefined => {
    switch (name) {
      case 'torch': return withPlaceholderSubmodules(makeTorchModule({ nn: () => getNn().nn }));
      case 'torch.nn': return (load('torch'), getNn().nn);
      case 'torch.nn.functional': return (load('torch'), getNn().functional);
      case 'torch.nn.utils': return getNn().nn.dict.get('utils') as PyModule;
      case 'torch.nn.utils.rnn': return (getNn().nn.dict.get('utils') as PyModule).dict.get('rnn') as PyModule;
      case 'torch.nn.init': return getNn().nn.dict.get('init') as PyModule;
      case 'numpy': return makeNumpyModule();
      case 'numpy.random': return load('numpy')?.dict.get('random') as PyModule;
    }
    if (name.startsWith('torch.')) {
      const torch = load('torch');
      const sub = torch && torchSubmodule(torch, name);
      if (sub) return sub;
    }
    if (name === 'einops' || name.startsWith('einops.')) {
      einops ??= makeEinopsModules(load);
      return einops.get(name);
    }
    if (name === 'tensorflow' || name === 'keras' || name.startsWith('tensorflow.') || name.startsWith('keras.')) {
      tf ??= makeTensorflowModules(load);
      return tf.get(name);
    }
    return stdlibModule(name);
  };
  const load = (name: string): PyModule | undefined => {
    if (!cache.has(name)) {
      const m = build(name);
      if (!m) return undefined;
      cache.set(name, m);
    }
    return cache.get(name);
  };
  return load;
}

/**
 * torch's submodules Mask Lens does not model are placeholders, so
 * `class Opt(torch.optim.Optimizer)`, `torch.backends.cudnn.deterministic = True`
 * and `@torch.jit.ignore` fail only where a value is used, with "not supported yet".
 */
const PLACEHOLDER_SUBMODULES = ['optim', 'jit', 'backends', 'autograd', 'utils', 'distributed', 'onnx', 'fx', 'profiler', 'amp', 'compiler', 'hub', 'multiprocessing', 'testing', 'quantization', 'cuda', 'mps', 'overrides', 'library', '_dynamo'];

function withPlaceholderSubmodules(torch: PyModule): PyModule {
  for (const name of PLACEHOLDER_SUBMODULES) {
    if (!torch.dict.has(name)) torch.dict.set(name, new OpaqueModule(`torch.${name}`));
  }
  installOptimizers(torch.dict.get('optim') as PyModule);
  return torch;
}
