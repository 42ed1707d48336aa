// "Mask Lens: Open Example" (the walkthrough's first step): an untitled
// Python editor with a padding, a sequence and a look-ahead mask to hover
// and preview. The text is bundled, so it works in Restricted Mode, in
// virtual workspaces and on the web alike.
import * as vscode from 'vscode';
import example from '../../../examples/seed_three_masks.py';

export const OPEN_EXAMPLE_COMMAND = 'maskLens.openExample';

/** The untitled documents this command opened (the walkthrough's hover step looks for them). */
const exampleDocuments = new WeakSet<vscode.TextDocument>();

export function isExampleDocument(doc: vscode.TextDocument): boolean {
  return exampleDocuments.has(doc);
}

export async function openExample(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content: example });
  exampleDocuments.add(doc);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
}

export function registerOpenExample(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, openExample));
}
