// Shape inlay hints: `[2, 1, 1, 4] bool` after each statement that binds a
// tensor (maskLens.inlayHints.enabled, off by default). The labels are pure
// (unit-tested); the provider only places them.
import type { RunResult, Snapshot } from '../python/result';
import { formatShape, isTensor, shortDtype } from './tensorView';

export interface ShapeHint {
  /** 1-based line the hint ends (the statement's last line). */
  line: number;
  label: string;
}

/** One hint per statement line: every tensor it bound, in order, e.g. `mask: [2, 1, 1, 4] bool`. */
export function shapeHints(result: Pick<RunResult, 'timeline'>): ShapeHint[] {
  const byLine = new Map<number, Snapshot[]>();
  for (const s of result.timeline) {
    if (!isTensor(s.value)) continue;
    const list = byLine.get(s.endLine) ?? [];
    // a statement inside a loop binds again: the latest value wins
    const at = list.findIndex((x) => x.name === s.name);
    if (at >= 0) list[at] = s;
    else list.push(s);
    byLine.set(s.endLine, list);
  }
  return [...byLine].map(([line, snaps]) => ({
    line,
    label: snaps
      .map((s) => {
        const v = s.value as Extract<Snapshot['value'], { shape: number[] }>;
        const text = `${formatShape(v.shape)} ${shortDtype(v.dtype)}`;
        return snaps.length > 1 ? `${s.name}: ${text}` : text;
      })
      .join(', '),
  }));
}
