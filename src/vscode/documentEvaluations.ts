// Runs the evaluator on Python documents and caches one full-file result per
// document version, so hovers and the inspector answer instantly. Edits
// schedule a debounced re-evaluation of documents already in the cache.
import * as vscode from 'vscode';
import { evaluate } from '../python/index';
import type { RunOptions, RunResult } from '../python/result';
import { readSettings, type MaskLensSettings } from './settings';

export interface Evaluation {
  uri: string;
  version: number;
  options: RunOptions;
  result: RunResult;
  elapsedMs: number;
}

export type EvaluateFn = (source: string, options: RunOptions) => RunResult;

const DEBOUNCE_MS = 300;

/** Run the evaluator; an exception from the interpreter itself becomes a reported error, not a crash. */
export function runEvaluation(evaluateFn: EvaluateFn, source: string, options: RunOptions): { result: RunResult; elapsedMs: number } {
  const t0 = performance.now();
  let result: RunResult;
  try {
    result = evaluateFn(source, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const error = { type: 'InternalError', message: `Mask Lens evaluator failed: ${message}`, line: 1 };
    result = { variables: {}, stdout: '', warnings: [], error, errors: [error], timeline: [], diagnostics: [] };
  }
  return { result, elapsedMs: performance.now() - t0 };
}

export function fullFileOptions(settings: MaskLensSettings): RunOptions {
  // hover.maxElements limits what a hover renders, not what the snippet may compute;
  // the time budget keeps an infinite loop from blocking the extension host.
  return { continueAfterError: true, recordTimeline: true, timeBudgetMs: 1500, maxRecordedCalls: settings.maxRecordedCalls };
}

export function isPythonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python';
}

export class DocumentEvaluations implements vscode.Disposable {
  private readonly cache = new Map<string, Evaluation>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<{ document: vscode.TextDocument; evaluation: Evaluation }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Preview with Arguments…: the call each document makes after it runs. */
  private readonly previewCalls = new Map<string, NonNullable<RunOptions['previewCall']>>();
  /** Fires after every fresh evaluation of a whole document. */
  readonly onDidEvaluate = this.emitter.event;

  constructor(private readonly evaluateFn: EvaluateFn = evaluate) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (e.contentChanges.length > 0 && this.cache.has(key)) this.schedule(e.document);
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

  /** The whole-file evaluation of the document's current version (evaluates now if stale). */
  get(doc: vscode.TextDocument): Evaluation {
    const hit = this.peek(doc);
    if (hit) return hit;
    return this.evaluateNow(doc);
  }

  /** Evaluate soon (debounced) unless this version is already cached: the first hover is then instant. */
  warm(doc: vscode.TextDocument): void {
    if (!this.peek(doc) && !this.pending.has(doc.uri.toString())) this.schedule(doc);
  }

  /** Evaluate `call` after the document runs (Preview with Arguments…), from now on; re-evaluates now. */
  setPreviewCall(doc: vscode.TextDocument, call: NonNullable<RunOptions['previewCall']>): void {
    this.previewCalls.set(doc.uri.toString(), call);
    this.evaluateNow(doc);
  }

  private options(doc: vscode.TextDocument): RunOptions {
    const previewCall = this.previewCalls.get(doc.uri.toString());
    return { ...fullFileOptions(readSettings()), ...(previewCall ? { previewCall } : {}) };
  }

  /** Evaluate up to (and including) the statement ending on `stopAfterLine`; not cached. */
  evaluateUpTo(doc: vscode.TextDocument, stopAfterLine: number): Evaluation {
    const options: RunOptions = { ...this.options(doc), stopAfterLine };
    const { result, elapsedMs } = runEvaluation(this.evaluateFn, doc.getText(), options);
    return { uri: doc.uri.toString(), version: doc.version, options, result, elapsedMs };
  }

  private evaluateNow(doc: vscode.TextDocument): Evaluation {
    const key = doc.uri.toString();
    this.cancel(key);
    const options = this.options(doc);
    const { result, elapsedMs } = runEvaluation(this.evaluateFn, doc.getText(), options);
    const evaluation: Evaluation = { uri: key, version: doc.version, options, result, elapsedMs };
    this.cache.set(key, evaluation);
    this.emitter.fire({ document: doc, evaluation });
    return evaluation;
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancel(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!doc.isClosed) this.evaluateNow(doc);
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

  private cancel(key: string): void {
    const t = this.pending.get(key);
    if (t !== undefined) clearTimeout(t);
    this.pending.delete(key);
  }

  private forget(key: string): void {
    this.cancel(key);
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
