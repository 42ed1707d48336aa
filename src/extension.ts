// Extension entry: registers the commands, the hover provider, diagnostics
// and settings handling; the work lives in src/vscode/, and every evaluation
// runs in the evaluation service's worker (src/service/).
import * as vscode from 'vscode';
import { EvaluationService } from './service/client';
import { registerOpenInspector } from './vscode/commands/openInspector';
import { registerPreviewMaskAtCursor } from './vscode/commands/previewMaskAtCursor';
import { registerPreviewMasks } from './vscode/commands/previewMasks';
import { MaskLensDiagnostics } from './vscode/diagnostics';
import { DocumentEvaluations } from './vscode/documentEvaluations';
import { monitorHostBlocks } from './vscode/hostBlock';
import { registerHoverProvider } from './vscode/hoverProvider';
import { PythonEditorTracker, type MaskLensServices } from './vscode/services';
import { readSettings } from './vscode/settings';
import { CallSelection, registerCallSelection } from './vscode/callHover';
import { registerCallCodeLens } from './vscode/callCodeLens';
import { NotebookEvaluations, registerNotebookInspector } from './vscode/notebook';

export function activate(context: vscode.ExtensionContext): void {
  const service = new EvaluationService({
    workerPath: context.asAbsolutePath('dist/worker.js'),
    heapMb: readSettings().maxHeapMb,
    heapSetting: 'maskLens.evaluation.maxHeapMb',
    budgetSetting: 'maskLens.evaluation.timeBudgetMs',
  });
  const evaluations = new DocumentEvaluations(service);
  const notebooks = new NotebookEvaluations(service);
  const services: MaskLensServices = {
    notebooks,
    extensionUri: context.extensionUri,
    evaluations,
    diagnostics: new MaskLensDiagnostics(evaluations),
    pythonEditors: new PythonEditorTracker(),
  };
  context.subscriptions.push(
    { dispose: () => service.dispose() },
    evaluations,
    services.diagnostics,
    services.pythonEditors,
    monitorHostBlocks(process.env.MASKLENS_HOST_STATS),
  );
  // values inside functions (issue #10): the chosen call per function, and notebooks run cell by cell
  const selection = new CallSelection();
  context.subscriptions.push(notebooks);
  registerNotebookInspector(context, notebooks);
  registerCallSelection(context, selection);
  registerCallCodeLens(context, evaluations, selection);
  registerHoverProvider(context, evaluations, selection, notebooks);
  registerPreviewMasks(context, services);
  registerPreviewMaskAtCursor(context, services);
  registerOpenInspector(context, services);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
