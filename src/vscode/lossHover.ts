// The hover on a loss constructor (`nn.CrossEntropyLoss(ignore_index=0)`):
// which targets it ignores, read from the call's arguments, and what the
// losses it computed in this run counted. No 'vscode' import: unit-tested.
import type { RunResult } from '../python/result';
import { lineLabel, type LineLabel } from '../python/notebook';
import { valueOfNameAt } from './variableLookup';

interface LossSignature {
  /** Positional parameters in PyTorch's order (torch/nn/modules/loss.py). */
  params: string[];
  /** Whether it takes ignore_index (class-index targets). */
  ignoreIndex: boolean;
}

/** ignore_index defaults to -100 in CrossEntropyLoss and NLLLoss (torch/nn/modules/loss.py). */
const DEFAULT_IGNORE_INDEX = -100;

const LOSSES: Record<string, LossSignature> = {
  CrossEntropyLoss: { params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'], ignoreIndex: true },
  NLLLoss: { params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'], ignoreIndex: true },
  BCELoss: { params: ['weight', 'size_average', 'reduce', 'reduction'], ignoreIndex: false },
  BCEWithLogitsLoss: { params: ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'], ignoreIndex: false },
  MSELoss: { params: ['size_average', 'reduce', 'reduction'], ignoreIndex: false },
  L1Loss: { params: ['size_average', 'reduce', 'reduction'], ignoreIndex: false },
  SmoothL1Loss: { params: ['size_average', 'reduce', 'reduction', 'beta'], ignoreIndex: false },
  HuberLoss: { params: ['reduction', 'delta'], ignoreIndex: false },
  KLDivLoss: { params: ['size_average', 'reduce', 'reduction', 'log_target'], ignoreIndex: false },
};

/** The text between the parentheses that open at `open`, or undefined when they do not close on the line. */
function argumentText(text: string, open: number): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    } else if (c === '#') return undefined;
  }
  return undefined;
}

/** Top-level comma-separated arguments: positional texts, and keyword texts by name. */
function splitArguments(args: string): { positional: string[]; keyword: Map<string, string> } {
  const parts: string[] = [];
  let depth = 0, start = 0;
  let quote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === quote && args[i - 1] !== '\\') quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(args.slice(start));
  const positional: string[] = [];
  const keyword = new Map<string, string>();
  for (const p of parts.map((x) => x.trim()).filter(Boolean)) {
    const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*([\s\S]*)$/.exec(p);
    if (kw) keyword.set(kw[1], kw[2].trim());
    else positional.push(p);
  }
  return { positional, keyword };
}

/** An integer argument: a literal, or a name bound to an int in the evaluation at `line`. */
function intArgument(text: string, result: RunResult, line: number): number | undefined {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(text)) return undefined;
  const v = valueOfNameAt(result, text, line);
  return v && v.value.type === 'int' && 'value' in v.value && typeof v.value.value === 'number' ? v.value.value : undefined;
}

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/**
 * Markdown for a hover on the loss class named by `lineText[wordStart, wordEnd)`
 * when a call follows it (`nn.CrossEntropyLoss(ignore_index=0)`); undefined
 * for any other word. Says which targets the loss ignores (ignore_index,
 * literal or a variable's value, else PyTorch's default -100), the reduction,
 * and how many targets the losses of this evaluation with that ignore_index
 * counted (Snapshot.derived), each named by its line (`at`: "cell 2, line 3" in a
 * notebook). `line` is the 1-based line in the evaluated source.
 */
export function lossConstructorHover(result: RunResult, lineText: string, wordStart: number, wordEnd: number, line: number, at: LineLabel = lineLabel): string | undefined {
  const name = lineText.slice(wordStart, wordEnd);
  const sig = Object.prototype.hasOwnProperty.call(LOSSES, name) ? LOSSES[name] : undefined;
  if (!sig) return undefined;
  const open = lineText.slice(wordEnd).search(/\S/);
  if (open < 0 || lineText[wordEnd + open] !== '(') return undefined;
  const inner = argumentText(lineText, wordEnd + open);
  const args = inner === undefined ? undefined : splitArguments(inner);
  const arg = (param: string): string | undefined => {
    if (!args) return undefined;
    const at = sig.params.indexOf(param);
    return args.keyword.get(param) ?? (at >= 0 ? args.positional[at] : undefined);
  };
  const reductionText = arg('reduction');
  const reduction = reductionText === undefined ? 'mean' : /^['"](none|mean|sum)['"]$/.exec(reductionText)?.[1] ?? reductionText;
  const parts = [`$(symbol-class) **${name}** · reduction = ${md(reduction)}`];
  if (!sig.ignoreIndex) {
    parts.push(`Ignores no target: every element counts${reduction === 'mean' ? ' in the mean' : ''}. To leave padding out, take \`reduction='none'\` and weight by a mask.`);
    return parts.join('\n\n');
  }
  const given = arg('ignore_index');
  const ignore = given === undefined ? DEFAULT_IGNORE_INDEX : intArgument(given, result, line);
  if (given !== undefined && ignore === undefined) {
    // source text, escaped rather than put in a code span (it may hold backticks)
    parts.push(`Ignores targets equal to ${md(given)} (ignore_index): they add 0 to the loss${reduction === 'mean' ? ' and are left out of the mean' : ''}.`);
  } else {
    const why = given === undefined ? ' (the default ignore_index)' : ' (ignore_index)';
    parts.push(`Ignores targets equal to \`${ignore}\`${why}: they add 0 to the loss${reduction === 'mean' ? ' and are left out of the mean' : ''}.${given === undefined ? ' A padding id such as 0 is counted unless ignore\\_index says so.' : ''}`);
  }
  const smoothing = arg('label_smoothing');
  if (smoothing !== undefined && smoothing !== '0' && smoothing !== '0.0') parts.push(`label\\_smoothing = ${md(smoothing)}`);
  // the losses this run computed with that ignore_index, from the constructor on
  const op = name === 'NLLLoss' ? 'nll_loss' : 'cross_entropy';
  const runs = result.timeline.filter((s) => s.line >= line && s.derived && 'counted' in s.derived && s.derived.op === op && (ignore === undefined || s.derived.ignoreIndex === ignore));
  for (const s of runs.slice(0, 3)) {
    const d = s.derived as Extract<NonNullable<typeof s.derived>, { counted: number }>;
    parts.push(`\`${s.name}\` (${at(s.line)}): ${d.counted} of ${d.total} targets counted · ignore\\_index = ${md(String(d.ignoreIndex))}`);
  }
  return parts.join('\n\n');
}
