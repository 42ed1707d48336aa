// Writes test/unit/parse-fixtures/python-errors.json (run from the repository root with
// node --import tsx test/unit/parse-fixtures/make-python-errors.ts): seeded edits of the
// shared cases in snippets.json, each with what /usr/bin/python3 (3.11) reports for it.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const snippets: string[] = JSON.parse(readFileSync('test/unit/parse-fixtures/snippets.json', 'utf8'));
const caseIdx = snippets.map((s, i) => [s, i] as const).filter(([s]) => s.split('\n').length > 6).map(([, i]) => i);
let seed = 4242;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pieces = ['(', ')', '[', ']', ':', ',', '=', ' ', '\n', '    ', "'", '"', 'if ', 'not ', '.', '+', '#', '\\', 'def ', '\t', '"""', 'f"{', '}', '1', 'x', ' else ', '*', '**', '@', 'return ', 'for ', ' in ', '  '];
type Edit = [number, number, string];
const apply = (s: string, edits: Edit[]) => edits.reduce((acc, [p, d, ins]) => acc.slice(0, p) + ins + acc.slice(p + d), s);
const out: { idx: number; edits: Edit[]; src: string }[] = [];
for (let i = 0; i < 700; i++) {
  const idx = caseIdx[Math.floor(rnd() * caseIdx.length)]!;
  let s = snippets[idx]!;
  const edits: Edit[] = [];
  const n = 1 + Math.floor(rnd() * 2);
  for (let e = 0; e < n; e++) {
    const r = rnd();
    let edit: Edit;
    if (r < 0.25) {
      // line-level: indent, dedent or cut a line short
      const starts = [0, ...[...s.matchAll(/\n/g)].map((m) => m.index! + 1)];
      const ls = starts[Math.floor(rnd() * starts.length)]!;
      const le = s.indexOf('\n', ls) < 0 ? s.length : s.indexOf('\n', ls);
      const k = rnd();
      if (k < 0.35) edit = [ls, 0, '  '];
      else if (k < 0.6 && s.startsWith('    ', ls)) edit = [ls, 2, ''];
      else { const cut = ls + Math.floor(rnd() * (le - ls + 1)); edit = [cut, le - cut, '']; }
    } else {
      const p = Math.floor(rnd() * s.length);
      edit = r < 0.5 ? [p, 1 + Math.floor(rnd() * 3), ''] : [p, 0, pieces[Math.floor(rnd() * pieces.length)]!];
    }
    edits.push(edit);
    s = apply(s, [edit]);
  }
  out.push({ idx, edits, src: s });
}
const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json,sys,warnings
warnings.simplefilter('ignore')
out=[]
for s in json.load(sys.stdin):
    try:
        compile(s,'x.py','exec'); out.append(None)
    except SyntaxError as e:
        out.append([type(e).__name__, e.msg, e.lineno])
print(json.dumps(out))
`], { input: JSON.stringify(out.map((o) => o.src)), maxBuffer: 1 << 26 }).toString());
const cases = out.map((o, i) => [o.idx, o.edits, py[i]]).filter((c) => c[2] !== null).slice(0, 300);
writeFileSync('test/unit/parse-fixtures/python-errors.json', '[\n' + cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]\n');
console.log(cases.length);
