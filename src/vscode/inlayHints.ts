// The inlay hint provider for shapeHints.ts, behind maskLens.inlayHints.enabled.
import * as vscode from 'vscode';
import type { DocumentEvaluations } from './documentEvaluations';
import { readSettings } from './settings';
import { shapeHints } from './shapeHints';

export function registerShapeInlayHints(context: vscode.ExtensionContext, evaluations: DocumentEvaluations): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.InlayHintsProvider = {
    onDidChangeInlayHints: changed.event,
    async provideInlayHints(doc, range) {
      if (!readSettings().inlayHintsEnabled) return [];
      const { result } = await evaluations.get(doc);
      return shapeHints(result)
        .filter((h) => h.line - 1 >= range.start.line && h.line - 1 <= range.end.line && h.line <= doc.lineCount)
        .map((h) => {
          const end = doc.lineAt(h.line - 1).range.end;
          const hint = new vscode.InlayHint(end, `  ${h.label}`, vscode.InlayHintKind.Type);
          hint.paddingLeft = true;
          return hint;
        });
    },
  };
  context.subscriptions.push(
    changed,
    vscode.languages.registerInlayHintsProvider({ language: 'python' }, provider),
    evaluations.onDidEvaluate(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('maskLens.inlayHints.enabled')) changed.fire();
    }),
  );
}
