// Measures how long the extension host's thread is blocked: a timer that
// should fire every INTERVAL_MS notes how late it is. The longest block is
// written to $MASKLENS_HOST_STATS when that variable names a file (the
// end-to-end suite reads it); otherwise nothing is recorded anywhere.
import { writeFileSync } from 'node:fs';
import type * as vscode from 'vscode';

const INTERVAL_MS = 20;

export function monitorHostBlocks(statsFile: string | undefined): vscode.Disposable {
  if (!statsFile) return { dispose() {} };
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - INTERVAL_MS;
    last = now;
    if (late > longest) {
      longest = late;
      try {
        writeFileSync(statsFile, JSON.stringify({ longestBlockMs: Math.round(late) }));
      } catch {
        // the stats file is a test aid; failing to write it must not affect the extension
      }
    }
  }, INTERVAL_MS);
  timer.unref?.();
  return { dispose: () => clearInterval(timer) };
}
