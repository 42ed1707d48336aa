// Preview with Arguments… on a method: the instance its `self` gets, built
// by calling the class with arguments chosen like a function's (prefill.ts),
// so that the values inside `forward` of a real model file preview. Sizes
// are small and agree with each other: the model width divides by the head
// count, example tokens lie below the vocabulary, sequence lengths fit in the
// context. A @dataclass config is built with its size fields set the same
// way; a sub-module argument (`EncoderLayer(size, self_attn, feed_forward,
// dropout)`) is an instance of the file's class its name points to.
// Parse only, no 'vscode' import: unit-tested.
import type * as A from '../python/ast';
import { childBodies } from '../python/outline';
import { parseModule } from '../python/parse';

/**
 * The sizes a previewed model gets. width (d_model, n_embd, n_state) is
 * the last dim of every float example (prefill's `torch.randn(2, 4, 8)`);
 * heads divides it; vocab exceeds every example token (at most 9); context
 * exceeds the example length 4.
 */
export const MODEL_SIZES = { width: 8, heads: 2, layers: 2, vocab: 16, context: 8, feedForward: 16, batch: 2, patch: 2 } as const;

type SizeRole = keyof typeof MODEL_SIZES;

/** Size roles by parameter name, first match wins; the last, widths, catches any other count or size. */
const SIZE_ROLES: [RegExp, SizeRole][] = [
  [/head|^h$|^nh$/i, 'heads'],
  [/layer|^N$|depth|n_blocks?$|num_blocks?$/, 'layers'],
  [/vocab|n_?tokens?$|num_embeddings|n_class|num_class/i, 'vocab'],
  [/batch/i, 'batch'],
  // a ViT / MAE patch side: it must divide the example images' sides (4), so a patchify reshape works
  [/^(patch_size|patch|p_size|patch_len)$/i, 'patch'],
  [/ctx|block_size|seq_?len|max_len|max_length|positions|context/i, 'context'],
  [/d_ff|feedforward|ffn|ff_dim|intermediate|d_inner/i, 'feedForward'],
  [/^(d_model|d_k|d_v|dim|n_embd|n_state|hidden(_size|_dim)?|embed_dim|d_embed|emb_size|features|size|n_mels|channels|in_features|out_features|model_dim|n_dim|ndim|n_feat|num_features|normalized_shape)$|_dim$|_size$|^n_|^num_/i, 'width'],
  // pytorch/examples' word_language_model: ninp (embedding size), nhid (hidden size), emsize
  [/^n(inp|input|hid|hidden|out|output|embd?|units)$|^emsize$/i, 'width'],
];

/** The size role a parameter's name gives it (`n_head`: heads, `block_size`: context, `d_model`: width); undefined when the name says no size. */
export function sizeRole(name: string): SizeRole | undefined {
  return SIZE_ROLES.find(([re]) => re.test(name))?.[1];
}

/** An annotation without its `Optional[...]` wrapper (`Optional[GPTConfig]` reads as GPTConfig). */
export function withoutOptional(annotation: string | undefined): string | undefined {
  return annotation?.replace(/^Optional\[(.*)\]$/, '$1');
}

/** A parameter as its source writes it. */
export interface ParamText {
  name: string;
  annotation?: string;
  default?: string;
  keywordOnly: boolean;
}

/** What the instance-building needs of one class the file defines. */
interface ClassFacts {
  name: string;
  bases: string[];
  dataclass: boolean;
  /** A @dataclass's fields, in order. */
  fields: ParamText[];
  /** `__init__`'s parameters after self; undefined when the class defines none. */
  init?: ParamText[];
  /** The class's source text. */
  text: string;
  /** Its methods decorated @classmethod (first parameter: the class) and @staticmethod (no bound first parameter). */
  classMethods: Set<string>;
  staticMethods: Set<string>;
}

/** The classes a file defines (top level and nested in functions or classes), by name; the first of a name wins. */
export function fileClasses(source: string): Map<string, ClassFacts> {
  const out = new Map<string, ClassFacts>();
  let body: A.Stmt[];
  try {
    body = parseModule(source).body;
  } catch {
    return out;
  }
  const text = (n: { span: A.Span }) => source.slice(n.span.from, n.span.to);
  const walk = (stmts: readonly A.Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'ClassDef') {
        const fields: ParamText[] = [];
        let init: ParamText[] | undefined;
        const classMethods = new Set<string>(), staticMethods = new Set<string>();
        for (const b of s.body) {
          if (b.kind === 'FunctionDef' && b.decorators.some((d) => d.kind === 'Name' && d.id === 'classmethod')) classMethods.add(b.name);
          if (b.kind === 'FunctionDef' && b.decorators.some((d) => d.kind === 'Name' && d.id === 'staticmethod')) staticMethods.add(b.name);
          if (b.kind === 'AnnAssign' && b.target.kind === 'Name') fields.push({ name: b.target.id, annotation: text(b.annotation), ...(b.value ? { default: text(b.value) } : {}), keywordOnly: true });
          if (b.kind === 'FunctionDef' && b.name === '__init__') {
            const p = b.params;
            init = [
              ...[...p.posonly, ...p.args].slice(1).map((q) => paramText(text(q), false)),
              ...p.kwonly.map((q) => paramText(text(q), true)),
            ].filter((q): q is ParamText => q !== undefined);
          }
        }
        const dataclass = s.decorators.some((d) => /(^|\.)dataclass\b/.test(text(d)));
        if (!out.has(s.name)) out.set(s.name, { name: s.name, bases: s.bases.map(text), dataclass, fields, text: text(s), classMethods, staticMethods, ...(init ? { init } : {}) });
        walk(s.body);
      } else if (s.kind === 'FunctionDef') walk(s.body);
      else for (const b of childBodies(s)) walk(b);
    }
  };
  walk(body);
  return out;
}

/** One parameter as a def writes it (`name: annotation = default`): its parts, trimmed; undefined for `*args`-like text. */
export function paramText(src: string, keywordOnly: boolean): ParamText | undefined {
  const m = /^([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?$/s.exec(src.trim());
  if (!m) return undefined;
  return { name: m[1], ...(m[2] ? { annotation: m[2].trim() } : {}), ...(m[3] !== undefined ? { default: m[3].trim() } : {}), keywordOnly };
}

/** torch.nn layers a file's class may extend without an __init__ of its own, with small arguments that fit the example sizes. */
const TORCH_LAYER_ARGS: Record<string, string> = {
  LayerNorm: `${MODEL_SIZES.width}`,
  RMSNorm: `${MODEL_SIZES.width}`,
  Linear: `${MODEL_SIZES.width}, ${MODEL_SIZES.width}`,
  Conv1d: `${MODEL_SIZES.width}, ${MODEL_SIZES.width}, kernel_size=3, padding=1`,
  Embedding: `${MODEL_SIZES.vocab}, ${MODEL_SIZES.width}`,
  MultiheadAttention: `${MODEL_SIZES.width}, ${MODEL_SIZES.heads}, batch_first=True`,
  Dropout: '0.0',
};

/** Whether a class is a torch.nn.Module: it extends one, through the file's own classes. */
export function isModuleClass(name: string, classes: ReadonlyMap<string, ClassFacts>, seen = new Set<string>()): boolean {
  const c = classes.get(name);
  if (!c || seen.has(name)) return false;
  seen.add(name);
  return c.bases.some((b) => /^(torch\.)?nn\.\w+$|^Module$/.test(b) || isModuleClass(b, classes, seen));
}

/** The constructor a class gets called with: its own __init__, else the nearest base's in the file, else a torch layer's. */
function constructorOf(name: string, classes: ReadonlyMap<string, ClassFacts>, seen = new Set<string>()): { params: ParamText[] } | { torchLayer: string } | undefined {
  const c = classes.get(name);
  if (!c || seen.has(name)) return undefined;
  seen.add(name);
  if (c.init) return { params: c.init };
  if (c.dataclass) return { params: c.fields };
  for (const b of c.bases) {
    const layer = /^(?:torch\.)?nn\.(\w+)$/.exec(b)?.[1];
    if (layer && TORCH_LAYER_ARGS[layer] !== undefined) return { torchLayer: TORCH_LAYER_ARGS[layer] };
    const inherited = constructorOf(b, classes, seen);
    if (inherited) return inherited;
  }
  return undefined;
}

/** `MultiHeadedAttention` → ['multi', 'headed', 'attention']; `self_attn` → ['self', 'attn']. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/_+/).filter(Boolean);
}

/** Whether `short` abbreviates `word`: same first letter, its letters in order (`attn` of attention, `embed` of embeddings, `norm` of normalization). */
function abbreviates(short: string, word: string): boolean {
  if (short.length < 3 || short[0] !== word[0]) return false;
  let at = 0;
  for (const ch of short) {
    at = word.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** Whether a parameter's word names one of a class's words: equal, abbreviated, or its words' initials (`ff` of PositionwiseFeedForward). */
function wordMatches(word: string, classWords: string[]): boolean {
  if (word.length < 2 || word === 'self') return false;
  return classWords.some((w) => w === word || abbreviates(word, w)) || classWords.map((w) => w[0]).join('').includes(word);
}

/**
 * The file's module class a constructor parameter names (`self_attn` →
 * MultiHeadedAttention, `feed_forward` → PositionwiseFeedForward, `layer` of
 * Encoder → EncoderLayer): most words in common with the parameter, ties
 * going to the class sharing words with the owner. Never the owner itself.
 */
function classNamed(param: string, annotation: string | undefined, owner: string, classes: ReadonlyMap<string, ClassFacts>): string | undefined {
  const hinted = withoutOptional(annotation)?.replace(/^["']|["']$/g, '');
  if (hinted && classes.has(hinted) && hinted !== owner) return hinted;
  if (annotation && !/^(nn\.)?Module$/.test(hinted ?? '')) return undefined;
  const mine = words(param);
  const ownerWords = words(owner);
  let best: { name: string; score: number } | undefined;
  for (const c of classes.values()) {
    if (c.name === owner || !isModuleClass(c.name, classes)) continue;
    const cw = words(c.name);
    const hits = mine.filter((w) => wordMatches(w, cw)).length;
    if (!hits) continue;
    // then words shared with the owner (`layer` of Encoder is EncoderLayer), and fewest
    // words beyond those (`encoder` of EncoderDecoder is Encoder, not EncoderLayer)
    const rest = cw.filter((w) => !mine.some((m) => wordMatches(m, [w])));
    const shared = rest.filter((w) => ownerWords.includes(w)).length;
    const score = hits * 10 + shared - (rest.length - shared);
    if (!best || score > best.score) best = { name: c.name, score };
  }
  return best?.name;
}

/** The @dataclass a config parameter takes: its annotation's, else the one the name points to, else the file's only one. */
function configClass(param: ParamText, classes: ReadonlyMap<string, ClassFacts>): string | undefined {
  const dataclasses = [...classes.values()].filter((c) => c.dataclass);
  const hinted = withoutOptional(param.annotation);
  if (hinted) return dataclasses.find((c) => c.name === hinted)?.name;
  if (!/^(config|cfg|conf|args|model_args|dims|params|hparams|hp|opt|options|settings)$/i.test(param.name)) return undefined;
  const named = dataclasses.find((c) => words(c.name).some((w) => wordMatches(words(param.name)[0], [w])));
  return named?.name ?? (dataclasses.length === 1 ? dataclasses[0].name : undefined);
}

/** The small size for an integer parameter by its name's role; undefined when the name says no size. */
function sizeFor(name: string): number | undefined {
  const role = sizeRole(name);
  return role && MODEL_SIZES[role];
}

const INT_DEFAULT = /^-?\d+$/;

/**
 * One constructor argument: undefined to leave a default alone, else the
 * expression. Integer sizes take their role's size (a default too: GPT-2's
 * 768-wide, 12-layer defaults would not preview); dropout is 0.0 when
 * required, so values read plainly; a sub-module or config is built.
 */
function argumentFor(p: ParamText, owner: string, classes: ReadonlyMap<string, ClassFacts>, depth: number, fallback: (p: ParamText) => string): string | undefined {
  const ann = withoutOptional(p.annotation);
  const intLike = ann === 'int' || (p.default !== undefined && INT_DEFAULT.test(p.default));
  const size = sizeFor(p.name);
  if (intLike) return size !== undefined ? `${size}` : p.default === undefined ? `${MODEL_SIZES.width}` : undefined;
  if (p.default !== undefined) return undefined;
  if (ann === 'float' || /dropout|drop_?p|^p$|^drop$/i.test(p.name)) return /drop|^p$/i.test(p.name) ? '0.0' : /eps/i.test(p.name) ? '1e-5' : '1.0';
  if (ann === 'bool' || /^(bias|\w+_bias|use_\w+|causal|is_causal|batch_first|affine|elementwise_affine|flash)$/.test(p.name)) return 'True';
  const config = configClass(p, classes);
  if (config) return instanceExpression(config, classes, depth + 1, fallback);
  // `n_layer`, `d_model`, `max_len`: a count or size, whatever class shares a word with it
  if (!ann && size !== undefined && /^(n|num|d)_|_(size|dim|len)$/.test(p.name)) return `${size}`;
  const sub = depth < 3 ? classNamed(p.name, p.annotation, owner, classes) : undefined;
  if (sub) return instanceExpression(sub, classes, depth + 1, fallback);
  if (!ann && size !== undefined) return `${size}`;
  const choice = stringChoice(p.name, classes.get(owner)?.text ?? '');
  if (choice !== undefined) return choice;
  return fallback(p);
}

/**
 * A string the code compares a parameter with, quoted: `rnn_type in ['LSTM',
 * 'GRU']` or `mode == 'causal'` gives `'LSTM'` / `'causal'` (the first
 * option, a value the code itself expects); undefined when there is none.
 */
export function stringChoice(name: string, code: string): string | undefined {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`\\b${n}\\s+(?:not\\s+)?in\\s+[[({]\\s*(['"])(\\w[\\w\\-. ]*)\\1`).exec(code) ?? new RegExp(`\\b${n}\\s*[!=]=\\s*(['"])(\\w[\\w\\-. ]*)\\1`).exec(code);
  return m ? `'${m[2]}'` : undefined;
}

/**
 * The expression that builds an instance of class `name` (as the file
 * binds it) for a method preview: `LayerNorm(8)`, `MultiHeadedAttention(2,
 * 8)`, `CausalSelfAttention(GPTConfig(block_size=8, vocab_size=16,
 * n_layer=2, n_head=2, n_embd=8))`, `Head()` for a class without
 * parameters. `fallback` gives an argument the rules here have none for
 * (prefill's by-name example). Required parameters go by position, changed
 * defaults by keyword; a @dataclass by keyword throughout.
 */
export function instanceExpression(name: string, classes: ReadonlyMap<string, ClassFacts>, depth = 0, fallback: (p: ParamText) => string = () => 'None'): string {
  return `${name}(${constructorArguments(name, classes, depth, fallback) ?? ''})`;
}

/** The argument text instanceExpression calls class `name` with; undefined when the file shows no constructor for it. */
export function constructorArguments(name: string, classes: ReadonlyMap<string, ClassFacts>, depth = 0, fallback: (p: ParamText) => string = () => 'None'): string | undefined {
  const ctor = constructorOf(name, classes);
  if (!ctor) return undefined;
  if ('torchLayer' in ctor) return ctor.torchLayer;
  const dataclass = classes.get(name)?.dataclass && !classes.get(name)?.init;
  const args: string[] = [];
  let byKeyword = dataclass;
  for (const p of ctor.params) {
    const value = argumentFor(p, name, classes, depth, fallback);
    if (value === undefined) {
      byKeyword = true; // a default left out: what follows goes by keyword
      continue;
    }
    args.push(byKeyword || p.keywordOnly || p.default !== undefined ? `${p.name}=${value}` : value);
  }
  return args.join(', ');
}
