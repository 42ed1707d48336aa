// What frameworks register into one evaluation. The interpreter knows no
// framework: whoever composes an evaluation (src/service/evaluate.ts, for
// the worker, the CLI, the bench and the tests) passes these in, built by
// src/frameworks/index.ts's registerFrameworks().

import type { Tensor } from '../engine/tensor';
import type { FusedCallRule } from './evaluator';
import type { Diagnostic, Snapshot } from './result';
import type { PyModule } from './values';

/**
 * A pass over one recorded timeline (the module's, or one call's snapshots
 * and its return value) after the run: it may annotate the snapshots (mask
 * kinds, legends, derivations) and returns diagnostics read from values.
 * `storages` maps a snapshot to its tensor's storage; `elided` holds the
 * tensors of snapshots whose data was not inlined.
 */
export type TimelineAnnotator = (
  timeline: Snapshot[],
  storages: ReadonlyMap<Snapshot, object>,
  elided: { get(s: Snapshot): Tensor | undefined },
) => Diagnostic[];

/**
 * Everything is optional: with nothing registered the interpreter runs
 * plain Python, and `import torch` raises ModuleNotFoundError.
 */
export interface FrameworkRegistration {
  /** A fresh loader for one evaluation: modules are built at most once per evaluation, never shared between two. */
  loader?(): (name: string) => PyModule | undefined;
  /**
   * What `import x` of a package the loader lacks does: true binds a
   * placeholder whose names fail where they are used, so a file importing
   * transformers still previews; absent, Python's ModuleNotFoundError at
   * the import. A guarded import (in a `try` catching ImportError) raises either way.
   */
  placeholderModules?: boolean;
  /** Call pairs a framework runs as one kernel (see FusedCallRule). */
  fusedCalls?: readonly FusedCallRule[];
  /**
   * Why `owner.name` (owner 'import' for a module) is missing here although
   * the real library has it: the message of the interpreter's error, or
   * undefined for Python's own wording. May raise the library's own error.
   */
  unsupportedName?(owner: string, name: string): string | undefined;
  /**
   * Called in the evaluation's context as it starts, with whether it records
   * a timeline, and with false as it ends: the frameworks start and stop
   * their own records (provenance) there.
   */
  recording?(on: boolean): void;
  /** Run in order over every recorded timeline after the statements (see TimelineAnnotator). */
  annotators?: readonly TimelineAnnotator[];
}

/** No framework: plain Python. */
export const NO_FRAMEWORKS: FrameworkRegistration = {};
