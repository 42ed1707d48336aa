// What activation registers, in the desktop and the web extension alike
// (src/extension.ts, src/web/extension.ts): the commands, the hover provider,
// diagnostics and the inspector, around an evaluation service whose worker
// the entry point chose.
import type * as vscode from 'vscode';
import { EvaluationService, type SpawnWorker } from '../service/client';
import { registerOpenExample } from './commands/openExample';
import { registerOpenInspector } from './commands/openInspector';
import { registerPreviewMaskAtCursor } from './commands/previewMaskAtCursor';
import { registerPreviewMasks } from './commands/previewMasks';
import { MaskLensDiagnostics } from './diagnostics';
import { DocumentEvaluations } from './documentEvaluations';
import { registerHoverProvider } from './hoverProvider';
import { registerShapeInlayHints } from './inlayHints';
import { inspectorSerializer, registerInspectorSerializer } from './inspectorSerializer';
import { PythonEditorTracker, type MaskLensServices } from './services';
import { readSettings, warnRemovedSettings } from './settings';
import { CallSelection, registerCallSelection } from './callHover';
import { registerCallCodeLens } from './callCodeLens';
import { NotebookEvaluations } from './notebook';
import { registerInspectorFollow } from './inspectorFollow';

/** What an entry point registered during activation, before this module loaded (src/extension.ts). */
export interface EntryRegistrations {
  /** The entry registered the inspector's serializer and delegates to the one given here. */
  serializer?: (serializer: vscode.WebviewPanelSerializer) => void;
}

/** Register everything (less what `entry` registered); the service's worker comes from `spawn`. Returns the service. */
export function activateMaskLens(context: vscode.ExtensionContext, spawn: SpawnWorker, entry: EntryRegistrations = {}): EvaluationService {
  const service = new EvaluationService({
    spawn,
    heapMb: readSettings().maxHeapMb,
    heapSetting: 'maskLens.evaluation.maxHeapMb',
    budgetSetting: 'maskLens.evaluation.timeBudgetMs',
  });
  const evaluations = new DocumentEvaluations(service);
  const notebooks = new NotebookEvaluations(service);
  // values inside functions (issue #10): the chosen call per function, and notebooks run cell by cell
  const selection = new CallSelection();
  const services: MaskLensServices = {
    notebooks,
    selection,
    extensionUri: context.extensionUri,
    evaluations,
    diagnostics: new MaskLensDiagnostics(evaluations),
    pythonEditors: new PythonEditorTracker(),
  };
  context.subscriptions.push({ dispose: () => service.dispose() }, evaluations, services.diagnostics, services.pythonEditors);
  context.subscriptions.push(notebooks);
  registerCallSelection(context, selection);
  registerInspectorFollow(context, evaluations, notebooks, selection);
  registerCallCodeLens(context, evaluations, selection, notebooks);
  registerHoverProvider(context, evaluations, selection, notebooks);
  registerPreviewMasks(context, services);
  registerPreviewMaskAtCursor(context, services);
  registerOpenInspector(context, services);
  if (entry.serializer) entry.serializer(inspectorSerializer(context, services));
  else registerInspectorSerializer(context, services);
  registerOpenExample(context);
  registerShapeInlayHints(context, evaluations);
  warnRemovedSettings();
  return service;
}
