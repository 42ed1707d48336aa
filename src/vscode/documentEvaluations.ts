// Evaluates Python documents through the evaluation service (src/service: a
// worker thread) and caches one full-file result per document version, so
// hovers and the inspector answer from the cache. Edits schedule a debounced
// re-evaluation of documents already in the cache, and a newer evaluation of
// a document cancels an older one still running.
import * as vscode from 'vscode';
import type { RunOptions, RunResult } from '../python/result';
import { CancelledError, type EvaluationService } from '../service/client';
import type { ServiceRunOptions } from '../service/protocol';
import { readSettings, type MaskLensSettings } from './settings';

export interface Evaluation {
  uri: string;
  version: number;
  options: RunOptions;
  result: RunResult;
  elapsedMs: number;
  /** The service's id for this evaluation: values not inlined in `result` are fetched with it. */
  id: number;
}

const DEBOUNCE_MS = 300;

/**
 * Tensors up to this many elements come back with their data; larger ones stay
 * in the worker and the hover fetches a downsampled slice (256 × 256 inlined).
 */
export const INLINE_ELEMENTS = 1 << 16;

export function fullFileOptions(settings: MaskLensSettings): ServiceRunOptions {
  // hover.maxElements limits what a hover renders; evaluation.* bound what the snippet may compute
  return {
    continueAfterError: true,
    recordTimeline: true,
    timeBudgetMs: settings.timeBudgetMs,
    maxElements: settings.evaluationMaxElements,
    budgetSetting: 'maskLens.evaluation.maxElements',
    inlineElements: INLINE_ELEMENTS,
    maxRecordedCalls: settings.maxRecordedCalls,
    backend: { preference: settings.backend, gpuThreshold: settings.gpuThreshold },
  };
}

export function isPythonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python';
}

export class DocumentEvaluations implements vscode.Disposable {
  private readonly cache = new Map<string, Evaluation>();
  /** The evaluation of each document's current version, while it runs. */
  private readonly inFlight = new Map<string, { version: number; promise: Promise<Evaluation> }>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<{ document: vscode.TextDocument; evaluation: Evaluation }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Preview with Arguments…: the call each document makes after it runs. */
  private readonly previewCalls = new Map<string, NonNullable<RunOptions['previewCall']>>();
  /** Fires after every fresh evaluation of a whole document. */
  readonly onDidEvaluate = this.emitter.event;

  constructor(readonly service: EvaluationService) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (e.contentChanges.length > 0 && (this.cache.has(key) || this.inFlight.has(key))) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('maskLens')) this.refreshAll();
      }),
    );
  }

  /** The cached evaluation for this exact version, if any. */
  peek(doc: vscode.TextDocument): Evaluation | undefined {
    const hit = this.cache.get(doc.uri.toString());
    return hit && hit.version === doc.version ? hit : undefined;
  }

  /**
   * The whole-file evaluation of the document's current version: cached,
   * already running, or started now. Rejects with CancelledError when a newer
   * edit supersedes it.
   */
  get(doc: vscode.TextDocument): Promise<Evaluation> {
    const hit = this.peek(doc);
    if (hit) return Promise.resolve(hit);
    const running = this.inFlight.get(doc.uri.toString());
    if (running && running.version === doc.version) return running.promise;
    return this.evaluateNow(doc);
  }

  /** Like get(), but follows edits: a superseded evaluation gives way to the newer one. */
  async latest(doc: vscode.TextDocument): Promise<Evaluation> {
    for (;;) {
      try {
        return await this.get(doc);
      } catch (e) {
        if (!(e instanceof CancelledError) || doc.isClosed) throw e;
      }
    }
  }

  /** Evaluate soon (debounced) unless this version is cached or running: the first hover is then quick. */
  warm(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.peek(doc) && !this.pending.has(key) && this.inFlight.get(key)?.version !== doc.version) this.schedule(doc);
  }

  /** Evaluate `call` after the document runs (Preview with Arguments…), from now on; re-evaluates now. */
  setPreviewCall(doc: vscode.TextDocument, call: NonNullable<RunOptions['previewCall']>): Promise<Evaluation> {
    this.previewCalls.set(doc.uri.toString(), call);
    return this.evaluateNow(doc);
  }

  /** The call Preview with Arguments… makes after `doc` runs, if any. */
  previewCallOf(doc: vscode.TextDocument): RunOptions['previewCall'] {
    return this.previewCalls.get(doc.uri.toString());
  }

  /**
   * Make `call` (the one before a preview whose arguments failed; undefined:
   * none) the call evaluations make again, from the next one on. Nothing is
   * re-evaluated now: the failed arguments' error stays in Problems until the
   * next edit, which then no longer repeats it.
   */
  restorePreviewCall(doc: vscode.TextDocument, call: RunOptions['previewCall']): void {
    const key = doc.uri.toString();
    if (call) this.previewCalls.set(key, call);
    else this.previewCalls.delete(key);
  }

  private options(doc: vscode.TextDocument): ServiceRunOptions {
    const previewCall = this.previewCalls.get(doc.uri.toString());
    return { ...fullFileOptions(readSettings()), ...(previewCall ? { previewCall } : {}) };
  }

  /** Evaluate up to (and including) the statement ending on `stopAfterLine`; not cached. */
  async evaluateUpTo(doc: vscode.TextDocument, stopAfterLine: number): Promise<Evaluation> {
    const options = { ...this.options(doc), stopAfterLine };
    const r = await this.service.evaluate(doc.getText(), options, { key: `${doc.uri.toString()}#cursor` });
    return { uri: doc.uri.toString(), version: doc.version, options, result: r.result, elapsedMs: r.elapsedMs, id: r.evaluation };
  }

  private evaluateNow(doc: vscode.TextDocument): Promise<Evaluation> {
    const key = doc.uri.toString();
    this.cancelPending(key);
    const version = doc.version;
    const options = this.options(doc);
    const promise = this.service.evaluate(doc.getText(), options, { key }).then((r) => {
      const evaluation: Evaluation = { uri: key, version, options, result: r.result, elapsedMs: r.elapsedMs, id: r.evaluation };
      const old = this.cache.get(key);
      if (old && old.id !== evaluation.id) this.service.release(old.id);
      this.cache.set(key, evaluation);
      this.emitter.fire({ document: doc, evaluation });
      return evaluation;
    });
    const entry = { version, promise };
    this.inFlight.set(key, entry);
    const clear = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    promise.then(clear, clear);
    return promise;
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancelPending(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!doc.isClosed) this.evaluateNow(doc).catch(ignoreCancelled);
      }, DEBOUNCE_MS),
    );
  }

  /** Settings changed: every cached result is stale. */
  private refreshAll(): void {
    for (const evaluation of this.cache.values()) evaluation.version = -1;
    for (const doc of vscode.workspace.textDocuments) {
      if (this.cache.has(doc.uri.toString())) this.schedule(doc);
    }
  }

  private cancelPending(key: string): void {
    const t = this.pending.get(key);
    if (t !== undefined) clearTimeout(t);
    this.pending.delete(key);
  }

  private forget(key: string): void {
    this.cancelPending(key);
    const old = this.cache.get(key);
    if (old) this.service.release(old.id);
    this.cache.delete(key);
    this.previewCalls.delete(key);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.cache.clear();
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A superseded evaluation is not an error anyone needs to see. */
export function ignoreCancelled(e: unknown): void {
  if (!(e instanceof CancelledError)) throw e;
}
