// Every mask label over test/cases, test/fixtures and examples, read small and
// streamed (inlineElements: 0): kind, summary, parts, and the mask
// diagnostics. Run it before and after a change to classify.ts and diff the
// two outputs to see which labels moved:
//   node --import tsx scripts/mask_labels.mts > /tmp/before.txt
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../src/service/evaluate';

const root = join(import.meta.dirname, '..');
for (const dir of ['test/cases', 'test/fixtures', 'examples']) {
  for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.py')).sort()) {
    const source = readFileSync(join(root, dir, file), 'utf8');
    for (const [mode, options] of [['small', {}], ['streamed', { inlineElements: 0 }]] as const) {
      const r = evaluate(source, { recordTimeline: true, ...options });
      for (const s of r.timeline) {
        if (!s.mask && !s.maskSummary && !s.maskParts) continue;
        console.log(`${dir}/${file} ${mode} L${s.line} ${s.name}: [${s.mask}] ${s.maskSummary} ${s.maskParts ? JSON.stringify(s.maskParts) : ''}`);
      }
      for (const d of r.diagnostics) if (/mask|row/.test(d.code)) console.log(`${dir}/${file} ${mode} DIAG ${d.code}@${d.line}: ${d.message}`);
    }
  }
}
