// The argument expressions Preview with Arguments… offers first, from the
// best evidence the file gives: a call of the function whose arguments make
// sense at module level (in the code, or a `>>>` example in its docstring),
// else, parameter by parameter, its default, its type hint, what its
// docstring says (type and shape), how the body uses it, and its name.
// No 'vscode' import: unit-tested.
import { boundNames } from '../python/outline';
import { parseModule } from '../python/parse';
import type { FunctionInfo, RunResult } from '../python/result';
import { constructorArguments, fileClasses, instanceExpression, isModuleClass, MODEL_SIZES, paramText, sizeRole, stringChoice, withoutOptional } from './prefillSelf';

/** Sizes an example tensor gets: 2 for a batch dim, 4 for any other named dim (small enough to read in a hover). */
const BATCH = 2;
const OTHER_DIM = 4;

/** Example values in the file's array library: torch's, or NumPy's in a file that imports NumPy and not torch. */
interface Examples {
  tokens: string;
  mask: string;
  /** A bool padding mask, one row (True = a real token): for a body that inverts it (`~mask`) or hands it to masked_fill. */
  boolMask: string;
  /** tokens and mask for a batch that `lengths` describes: [2, 4], rows of lengths 4 and 2. */
  batchTokens: string;
  batchMask: string;
  lengths: string;
  tensors: string;
  /** query, key, value: floats of one shape. */
  qkv: string;
  /** A padding mask [B, 1, ..., T]: rows of lengths 4 and 2 (True = a real token); `lead` is the shape before T. */
  padding(lead: number[]): string;
  bools(shape: number[]): string;
  ints(shape: number[]): string;
  floats(shape: number[]): string;
}

const TORCH: Examples = {
  tokens: 'torch.tensor([[7, 6, 0, 0]])',
  mask: 'torch.tensor([[1, 1, 0, 0]])',
  boolMask: 'torch.tensor([[True, True, False, False]])',
  batchTokens: 'torch.tensor([[7, 6, 5, 4], [3, 2, 0, 0]])',
  batchMask: 'torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])',
  lengths: 'torch.tensor([4, 2])',
  tensors: '[torch.ones(4), torch.ones(2)]',
  qkv: `torch.randn(${BATCH}, ${OTHER_DIM}, 8)`,
  padding: (lead) => `torch.arange(${OTHER_DIM}) < torch.tensor([4, 2]).view(${lead.join(', ')}, 1)`,
  bools: (shape) => `torch.ones(${shape.join(', ')}, dtype=torch.bool)`,
  ints: (shape) => `torch.randint(1, 10, ${tupleText(shape)})`,
  floats: (shape) => `torch.randn(${shape.join(', ')})`,
};

const NUMPY: Examples = {
  tokens: 'np.array([[7, 6, 0, 0]])',
  mask: 'np.array([[1, 1, 0, 0]])',
  boolMask: 'np.array([[True, True, False, False]])',
  batchTokens: 'np.array([[7, 6, 5, 4], [3, 2, 0, 0]])',
  batchMask: 'np.array([[1, 1, 1, 1], [1, 1, 0, 0]])',
  lengths: 'np.array([4, 2])',
  tensors: '[np.ones(4), np.ones(2)]',
  qkv: `np.random.randn(${BATCH}, ${OTHER_DIM}, 8)`,
  padding: (lead) => `np.arange(${OTHER_DIM}) < np.array([4, 2]).reshape(${lead.join(', ')}, 1)`,
  bools: (shape) => `np.ones(${tupleText(shape)}, dtype=bool)`,
  ints: (shape) => `np.random.randint(1, 10, ${tupleText(shape)})`,
  floats: (shape) => `np.random.randn(${shape.join(', ')})`,
};

function tupleText(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

const TENSOR_HINT = /^(torch\.)?Tensor$|^(torch\.)?(Bool|Long|Float)Tensor$/;
const LIST_OF_TENSORS = /^(list|List|Sequence|Iterable)\[\s*(torch\.)?Tensor\s*\]$/;
/** Lengths per batch row: `lengths`, `src_lengths`, `ilens`, `x_lens`. */
// d2l.ai's `valid_len` (one length per row) too, though `*_len` alone is a size (`max_len`)
const LENGTHS_NAME = /^(\w+_)?(lengths|lens)$|^[io]lens$|^valid_len$/i;
/** A padding or fill value: `pad_value`, `padding_idx`, `fill_value`. */
const PAD_NAME = /^(pad|padding|fill)(_?(value|val|id|idx|index|token|token_id))?$/i;
const IGNORE_NAME = /^ignore(_(id|index|idx|label))?$/i;
/** A probability or fraction, not a tensor: MAE's `mask_ratio`, wav2vec2's `mask_prob`, `mlm_probability`, `drop_rate`. */
const RATE_NAME = /^(\w+_)?(ratio|prob|probability|rate|frac|fraction|proportion|dropout)$/i;
/** One special token's id, a Python int: `mask_token_id`, `eos_id`, `cls_idx` (a pad or ignore id has its own rule). */
const TOKEN_ID_NAME = /^\w+_(token_)?(id|idx|index)$/i;
/** Attention's inputs: a tensor each when the function takes two or more of them (`k` alone is a count). */
const QKV_NAME = /^(q|k|v|query|key|value|queries|keys|values)$/;
/** Float scores a mask is applied to: `scores`, `attn_logits`, `energy`, `attn_weights`, `probs` (one row like the tokens and mask examples, so they broadcast). */
const SCORES_NAME = /^(\w+_)?(scores|logits|energy|energies|attn|attention|weights|probs)$/i;
const SIZE_NAME = /^(n|k|sz|bsz|bs|size|dim|d_model|num_\w+|\w*_len|\w*len|length|\w*_size|max_\w+)$/i;

/** An example argument for a parameter with this annotation and name. */
function fromAnnotationOrName(name: string, annotation: string | undefined, ex: Examples, qkv: boolean): string {
  // Union[torch.Size, Tuple, List]: its first type stands for it
  const a = withoutOptional(annotation)?.replace(/\s*\|\s*None$/, '').replace(/^Union\[\s*([^,\]]+?)\s*,.*\]$/, '$1').trim();
  if (a) {
    if (/^(torch\.)?dtype$/.test(a)) return 'torch.float32';
    if (/^(torch\.)?device$/.test(a)) return '"cpu"';
    if (/^(torch\.)?Size$/.test(a)) return `torch.Size([${BATCH}, ${OTHER_DIM}])`;
    if (LIST_OF_TENSORS.test(a)) return TORCH.tensors;
    if (TENSOR_HINT.test(a)) return qkv && QKV_NAME.test(name) ? TORCH.qkv : /mask/i.test(name) ? TORCH.mask : LENGTHS_NAME.test(name) ? TORCH.lengths : SCORES_NAME.test(name) && !/Bool|Long/.test(a) ? TORCH.floats([1, 4]) : TORCH.tokens;
    if (/^(np\.|numpy\.)?ndarray$/.test(a)) return qkv && QKV_NAME.test(name) ? NUMPY.qkv : /mask/i.test(name) ? NUMPY.mask : SCORES_NAME.test(name) ? NUMPY.floats([1, 4]) : NUMPY.tokens;
    if (a === 'int') return PAD_NAME.test(name) ? '0' : IGNORE_NAME.test(name) ? '-100' : '4';
    if (a === 'float') return PAD_NAME.test(name) ? '0.0' : '1.0';
    if (a === 'bool') return 'True';
    if (a === 'str') return "'a'";
    if (/^(list|List|Sequence)\b/.test(a)) return '[3, 1]';
    if (/^(tuple|Tuple)\b/.test(a)) return '(4, 4)';
  }
  return fromName(name, ex, qkv);
}

function fromName(name: string, ex: Examples, qkv: boolean): string {
  if (RATE_NAME.test(name)) return '0.5';
  if (qkv && QKV_NAME.test(name)) return ex.qkv;
  if (TOKEN_ID_NAME.test(name) && !PAD_NAME.test(name) && !IGNORE_NAME.test(name)) return '1';
  if (/mask/i.test(name)) return ex.mask;
  if (LENGTHS_NAME.test(name)) return ex.lengths;
  if (PAD_NAME.test(name)) return '0';
  if (IGNORE_NAME.test(name)) return '-100';
  if (SIZE_NAME.test(name)) return '4';
  if (SCORES_NAME.test(name)) return ex.floats([1, 4]);
  return ex.tokens;
}

/** The docstring lines of a function (between its first pair of triple quotes), or none. */
function docstringLines(body: string[]): string[] {
  const start = body.findIndex((l, i) => i > 0 && /^\s*[rRuU]?("""|''')/.test(l));
  if (start < 0) return [];
  const quote = /("""|''')/.exec(body[start])![1];
  const first = body[start].slice(body[start].indexOf(quote) + 3);
  if (first.includes(quote)) return [first.slice(0, first.indexOf(quote))];
  const out = [first];
  for (let i = start + 1; i < body.length; i++) {
    const at = body[i].indexOf(quote);
    if (at >= 0) return [...out, body[i].slice(0, at)];
    out.push(body[i]);
  }
  return out;
}

/**
 * What a docstring says of one parameter: Google style `name (type): text`,
 * NumPy style `name : type` and the lines indented under it, or Sphinx
 * `:param name:` with its `:type name:`.
 */
function docOf(doc: string[], name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(`^(\\s*)\\**${escaped}\\b\\s*(\\([^)]*\\))?\\s*:(?!:)(.*)$`);
  const sphinx = new RegExp(`^\\s*:(param|type)(\\s+[^:]+)?\\s+${escaped}\\s*:(.*)$`);
  const parts: string[] = [];
  for (let i = 0; i < doc.length; i++) {
    const s = sphinx.exec(doc[i]);
    if (s) parts.push(s[3]);
    const m = head.exec(doc[i]);
    if (!m || parts.length) continue;
    parts.push(`${m[2] ?? ''} ${m[3]}`);
    // the lines indented under it belong to it
    const indent = m[1].length;
    for (let j = i + 1; j < doc.length && doc[j].trim() && doc[j].search(/\S/) > indent; j++) parts.push(doc[j]);
  }
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * `(B, T)`, `[B, 1, T]`, `(B,)`, `(batch, seqlen, ...)`: a shape written in text, as example
 * sizes (`...`, any trailing dims, as one: flash-attn's hidden_states); undefined when none.
 */
function shapeIn(text: string, named?: (dim: string) => number): number[] | undefined {
  for (const m of text.matchAll(/[([]\s*((?:<=\s*)?(?:[\w*]+|\.\.\.|…)(?:\s*,\s*(?:<=\s*)?(?:[\w*]+|\.\.\.|…))*)\s*(,?)\s*[)\]]/g)) {
    const dims = m[1].split(/\s*,\s*/).map((d) => d.replace(/^<=\s*/, '<='));
    if (dims.length < 2 && !m[2]) continue; // `(optional)`, `(int)`: a word in parentheses, not a shape
    if (dims[0] === '...' || dims[0] === '…') continue;
    // `<= n_ctx` (whisper's "(batch_size, <= n_ctx)"): at most a size, in a module's docstring only
    if (!dims.every((d) => /^(\d+|[A-Za-z_]\w{0,15}|\.\.\.|…)$/.test(d) || (named && /^<=[A-Za-z_]\w*$/.test(d))) || dims.some((d) => /^(optional|default|or|and|int|float|bool|str|list|tensor)$/i.test(d))) continue;
    if (!named && dims.some((d) => d.length > 12)) continue;
    return dims.map((d) => (/^\d+$/.test(d) ? Number(d) : named ? named(d) : /^(b|bs|n|batch\w*|n_batch|num_batch\w*)$/i.test(d) ? BATCH : OTHER_DIM));
  }
  return undefined;
}

/** An example from a parameter's docstring text: its type words and its shape. */
function fromDoc(name: string, text: string, ex: Examples): string | undefined {
  const shape = shapeIn(text);
  const boolish = /mask/i.test(name) || /\bbool/i.test(text) || /BoolTensor/.test(text);
  const intish = /\b(Long|Int)Tensor\b|\bint64\b|\blong\b/.test(text) || LENGTHS_NAME.test(name);
  if (/\b(list|List|sequence|Sequence)\b/.test(text) && /\b[Tt]ensors?\b/.test(text) && !shape?.length) return ex.tensors;
  if (shape) {
    if (LENGTHS_NAME.test(name) && shape.length === 1) return ex.lengths;
    // a padding mask, [B, T] or [B, 1, 1, T]
    const padding = shape.length >= 2 && shape[0] === BATCH && shape[shape.length - 1] === OTHER_DIM && shape.slice(1, -1).every((d) => d === 1);
    if (boolish && padding) return ex.padding(shape.slice(0, -1));
    if (boolish) return ex.bools(shape);
    if (intish) return ex.ints(shape);
    return ex.floats(shape);
  }
  if (/\bfloat\b/.test(text) && !/[Tt]ensor/.test(text)) return PAD_NAME.test(name) ? '0.0' : '1.0';
  if (/\bint\b/.test(text) && !/[Tt]ensor/.test(text)) return PAD_NAME.test(name) ? '0' : IGNORE_NAME.test(name) ? '-100' : '4';
  if (/\bbool\b/.test(text) && !/[Tt]ensor/.test(text)) return 'True';
  if (LENGTHS_NAME.test(name)) return ex.lengths;
  return undefined;
}

/** Token ids by name: `idx`, `tokens`, `input_ids`, `src`, `tgt`, `targets`. */
const TOKENS_NAME = /^(idx|ids|tokens?|input_ids|token_ids|src|tgt|targets?|labels?)$/i;

/**
 * Whether a module runs its sequences seq-first: it builds (or subclasses)
 * nn.Transformer, a TransformerEncoderLayer / TransformerDecoderLayer,
 * MultiheadAttention, or an LSTM / GRU / RNN, and never passes
 * batch_first=True, so PyTorch's default layout [S, N, E] holds (tokens [S, N]).
 * Undefined when it builds none of them (no layout to follow).
 */
function seqFirstModule(classText: string): boolean | undefined {
  const builds = /\b(?:nn\.)?(?:Transformer|TransformerEncoderLayer|TransformerDecoderLayer|MultiheadAttention|LSTM|GRU|RNN)\s*\(|\bclass\s+\w+\s*\(\s*(?:nn\.)?Transformer\s*\)/.test(classText);
  if (!builds) return undefined;
  return !/\bbatch_first\s*=\s*True\b/.test(classText);
}

/** The seq-first form of TORCH.batchTokens: [S, N] = [4, 2], the same two sequences (lengths 4 and 2) as columns. */
const SEQ_FIRST_TOKENS = 'torch.tensor([[7, 3], [6, 2], [5, 0], [4, 0]])';
/** A key padding mask [N, S] for those sequences, True on padding (nn.Transformer's *_key_padding_mask, either layout). */
const KEY_PADDING_MASK = 'torch.tensor([[False, False, False, False], [False, False, True, True]])';
/**
 * An attention mask [S, S] (src_mask, tgt_mask): causal, True = masked. Bool
 * like the key padding mask: PyTorch warns that a float mask beside a bool
 * padding mask is deprecated.
 */
const SQUARE_SUBSEQUENT_MASK = `torch.triu(torch.ones(${OTHER_DIM}, ${OTHER_DIM}, dtype=torch.bool), diagonal=1)`;

/** The top-level comma-separated pieces of an argument text (brackets and strings kept whole). */
function topLevelArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  return last ? [...out, last] : out;
}

/**
 * An initial state for a parameter the body hands an nn.LSTM / GRU / RNN
 * attribute as its second argument (`self.lstm(x, hx)`): zeros
 * [num_layers × directions, batch, hidden_size] read off the constructor
 * call (its sizes by name, as the instance gets them), a tuple (h0, c0) for
 * an LSTM. The first assignment of the attribute decides its kind. Undefined
 * when no such call passes it.
 */
function recurrentState(name: string, body: string, classText: string): string | undefined {
  // `nn.LSTM(...)`, or word_language_model's `getattr(nn, rnn_type)(...)` with the type the code expects first
  for (const m of classText.matchAll(/self\.(\w+)\s*=\s*(?:(?:torch\.)?(?:nn\.)?(LSTM|GRU|RNN)|getattr\(\s*(?:torch\.)?nn\s*,\s*(\w+)\s*\))\s*\(/g)) {
    const kind = m[2] ?? /^'(LSTM|GRU|RNN)/.exec(stringChoice(m[3], classText) ?? '')?.[1];
    if (!kind) continue;
    const calls = [...body.matchAll(new RegExp(`self\\.${m[1]}\\s*\\(`, 'g'))];
    const passes = calls.some((c) => {
      const args = argumentsAt(body, c.index + c[0].length - 1);
      return args !== undefined && topLevelArgs(args).filter((a) => !/^\w+\s*=(?!=)/.test(a))[1] === name;
    }) || calls.some((c) => new RegExp(`\\bhx\\s*=\\s*${name}\\b`).test(argumentsAt(body, c.index + c[0].length - 1) ?? ''));
    if (!passes) continue;
    const ctor = topLevelArgs(argumentsAt(classText, m.index + m[0].length - 1) ?? '');
    const positional = ctor.filter((a) => !/^\w+\s*=(?!=)/.test(a));
    const keyword = (k: string) => ctor.find((a) => new RegExp(`^${k}\\s*=`).test(a))?.replace(/^\w+\s*=\s*/, '');
    const size = (expr: string | undefined, fallback: number) => {
      if (expr === undefined) return fallback;
      if (/^\d+$/.test(expr)) return Number(expr);
      const role = sizeRole(expr.replace(/^self\./, ''));
      return role ? MODEL_SIZES[role] : MODEL_SIZES.width;
    };
    const layers = size(keyword('num_layers') ?? positional[2], 1) * (/^True$/.test(keyword('bidirectional') ?? '') ? 2 : 1);
    const zeros = `torch.zeros(${layers}, ${BATCH}, ${size(keyword('hidden_size') ?? positional[1], MODEL_SIZES.width)})`;
    return kind === 'LSTM' ? `(${zeros}, ${zeros})` : zeros;
  }
  return undefined;
}

/**
 * An example for a parameter of an nn.Module's method, sized to the
 * instance prefillSelf builds: a callable for one the body calls
 * (`sublayer(self.norm(x))`), token ids below the vocabulary for one an
 * Embedding reads (`self.lut(x)`, `self.transformer.wte(idx)`) or named so,
 * a docstring's shape with its named dims at the constructor's sizes,
 * else floats [batch, length, width]. Undefined: the plain rules decide.
 */
function forModule(name: string, annotation: string | undefined, said: string | undefined, body: string, classText: string, ex: Examples, embedders: readonly string[] = []): string | undefined {
  if (ex !== TORCH) return undefined;
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const a = withoutOptional(annotation)?.trim();
  if (a && !TENSOR_HINT.test(a) && !/^Callable\b/.test(a)) return undefined;
  // `mask_ratio`, `mask_token_id` are numbers, whatever their names hold: the plain rules give them one
  if (!a && (RATE_NAME.test(name) || TOKEN_ID_NAME.test(name))) return undefined;
  // called in the code, not in a comment or string (nanoGPT's `# (B, nh, T, hs) x (B, nh, hs, T)`)
  const code = body.replace(/("""|''')[\s\S]*?\1|(["'])(?:\\.|(?!\2).)*\2|#.*$/gm, '');
  if (new RegExp(`(?<![\\w.])${n}\\s*\\(`).test(code)) return 'lambda x: x';
  // nn.Embedding, or a class of the file that wraps one (the translation tutorial's TokenEmbedding)
  const embedding = ['Embedding', ...embedders].join('|');
  const embeddings = [...classText.matchAll(new RegExp(`(\\w+)\\s*=\\s*(?:torch\\.)?(?:nn\\.)?(?:${embedding})\\(`, 'g'))].map((m) => m[1]);
  const embedded = embeddings.some((e) => new RegExp(`\\b${e}\\(\\s*${n}\\b`).test(body));
  if (said !== undefined) {
    const shape = shapeIn(said, (dim) => dimSize(dim, classText));
    if (shape) return embedded || /\b(Long|Int)Tensor\b|\bint64\b|\blong\b|\btokens?\b/.test(said) ? ex.ints(shape) : /mask/i.test(name) || /\bbool/i.test(said) ? ex.bools(shape) : ex.floats(shape);
  }
  const state = recurrentState(name, body, classText);
  if (state) return state;
  // the layout the module's own nn.Transformer / MultiheadAttention / LSTM reads: seq-first unless batch_first=True
  const seqFirst = seqFirstModule(classText);
  // nn.Transformer's masks: a bool key padding mask [N, S], or an [S, S] attention mask
  if (seqFirst !== undefined && /mask/i.test(name)) return /pad/i.test(name) ? KEY_PADDING_MASK : SQUARE_SUBSEQUENT_MASK;
  // a batch of two rows, like the floats: the Annotated Transformer's decode(memory, src_mask, tgt, tgt_mask) mixes them
  // `src` of a module that embeds nothing (an nn.TransformerEncoder over features) is floats, not token ids
  if (embedded || (TOKENS_NAME.test(name) && !(seqFirst !== undefined && embeddings.length === 0))) return seqFirst ? SEQ_FIRST_TOKENS : ex.batchTokens;
  if (/mask/i.test(name)) return ex.batchMask;
  if (!a && (SIZE_NAME.test(name) || PAD_NAME.test(name) || IGNORE_NAME.test(name) || LENGTHS_NAME.test(name))) return undefined;
  return ex.floats(seqFirst ? [OTHER_DIM, BATCH, MODEL_SIZES.width] : [BATCH, OTHER_DIM, MODEL_SIZES.width]);
}

/**
 * A docstring dim's example size in a module's method: `batch_size` 2; a
 * constructor size by its name (`n_mels`: the width the instance got); a
 * length (`n_ctx`, `<= n_ctx`, `seq_len`) 4; another width-like name the width.
 */
function dimSize(dim: string, classText: string): number {
  if (/^<=/.test(dim) || /^(b|bs|n|batch\w*|n_batch|num_batch\w*)$/i.test(dim)) return /^<=/.test(dim) ? OTHER_DIM : BATCH;
  const role = sizeRole(dim);
  if (role === undefined || role === 'context') return OTHER_DIM;
  const inInit = new RegExp(`def __init__\\([^)]*\\b${dim}\\b`).test(classText);
  return inInit || role === 'width' ? MODEL_SIZES[role] : OTHER_DIM;
}

/** An example from how the body uses a parameter: iterated over tensors, a fill value, a size. */
function fromUsage(name: string, body: string, ex: Examples): string | undefined {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const has = (re: string) => new RegExp(re).test(body);
  // `for x in xs: x.size(0)`, `xs[0].new(...)`: a list of tensors
  if (has(`\\b${n}\\[[^\\]]*\\]\\.(size|shape|new|dim|dtype|device)\\b`) || (has(`\\bfor\\s+(\\w+)\\s+in\\s+${n}\\b`) && has(`\\b\\w+\\.(size\\(|shape\\b)`) && !has(`\\b${n}\\.(size|shape|dim)\\b`))) return ex.tensors;
  // `len(length)`, `enumerate(length)`: a length per batch row
  if (/len/i.test(name) && has(`\\b(len|enumerate|max|zip)\\(\\s*${n}\\s*[,)]`)) return ex.lengths;
  // `.fill_(pad_value)`, `masked_fill(m, value)`, `F.pad(x, p, value=v)`: a scalar
  if (has(`\\.(fill_?|masked_fill_?)\\([^()]*\\b${n}\\s*\\)`) || has(`\\bvalue\\s*=\\s*${n}\\b`)) return '0';
  // `x.masked_fill(mask, 0)`, `~mask`: a bool mask (masked_fill refuses an integer one; ~ of 1 is -2)
  if (has(`\\.masked_fill_?\\(\\s*~?\\s*${n}\\s*,`) || has(`~\\s*${n}\\b`)) return ex.boolMask;
  // `mode in ['a', 'b']`, `kind == 'causal'`: a string the code expects
  const choice = stringChoice(name, body);
  if (choice !== undefined) return choice;
  // `range(n)`, `torch.ones(size, size)`: a size
  if (has(`\\brange\\(\\s*${n}\\s*\\)`) || has(`\\b(torch|np)\\.(ones|zeros|empty|arange|full|rand|randn|eye|tril|triu)\\(\\s*${n}\\b`)) return '4';
  return undefined;
}

/**
 * Pairs of parameters the body says share their first dim: `assert
 * xs.size(0) == len(lengths)`, `x.shape[0] == mask.size(0)`, `len(a) ==
 * len(b)`. Each pair is [sized, other]; `counted` holds the parameters whose
 * length is taken (len(), enumerate(), zip()): per-row lengths or a list.
 */
function batchRelations(body: string, params: readonly string[]): { pairs: [string, string][]; counted: Set<string> } {
  const p = params.filter(Boolean).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const counted = new Set<string>();
  const pairs: [string, string][] = [];
  if (!p) return { pairs, counted };
  const side = `(?:len\\(\\s*(${p})\\s*\\)|\\b(${p})\\s*\\.\\s*(?:size\\(\\s*0\\s*\\)|shape\\s*\\[\\s*0\\s*\\]))`;
  for (const m of body.matchAll(new RegExp(`${side}\\s*==\\s*${side}`, 'g'))) {
    const left = m[1] ?? m[2], right = m[3] ?? m[4];
    if (m[1]) counted.add(m[1]);
    if (m[3]) counted.add(m[3]);
    if (left !== right) pairs.push([left, right]);
  }
  for (const m of body.matchAll(new RegExp(`\\b(?:enumerate|zip)\\(\\s*(${p})\\s*[,)]`, 'g'))) counted.add(m[1]);
  return { pairs, counted };
}

/**
 * Make related examples agree: where the body says two parameters share
 * their first dim (see batchRelations), a per-row lengths example (batch 2,
 * lengths 4 and 2) turns the generic one-row tokens or mask beside it into a
 * [2, 4] batch those lengths describe, and a counted parameter left with the
 * one-row tokens becomes the lengths (espnet's mask_by_length(xs, lengths)
 * asserts xs.size(0) == len(lengths) and slices xs[i, :l]).
 */
function agree(names: readonly string[], args: string[], body: string, ex: Examples): void {
  const { pairs, counted } = batchRelations(body, names);
  const at = (n: string) => names.indexOf(n);
  for (const [a, b] of pairs) {
    for (const [sized, other] of [[a, b], [b, a]]) {
      const i = at(sized), j = at(other);
      if (i < 0 || j < 0) continue;
      if (counted.has(other) && args[j] === ex.tokens && args[i] !== ex.lengths) args[j] = ex.lengths;
      if (args[j] !== ex.lengths) continue;
      if (args[i] === ex.tokens) args[i] = ex.batchTokens;
      else if (args[i] === ex.mask) args[i] = ex.batchMask;
    }
  }
}

const PY_BUILTINS = new Set([
  'True', 'False', 'None', 'len', 'range', 'list', 'tuple', 'dict', 'int', 'float', 'bool', 'str', 'max', 'min', 'sum', 'abs', 'sorted', 'zip', 'enumerate', 'slice',
  'for', 'in', 'if', 'else', 'not', 'and', 'or', 'is', 'lambda',
]);

/** The argument text of the call whose `(` is at `open`, balanced over brackets and strings; undefined if unclosed. */
function argumentsAt(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 600; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** Whether every name an argument text reads is bound at module level (or built in): it evaluates after the file runs. */
function readsOnly(args: string, known: ReadonlySet<string>): boolean {
  const code = args.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
  for (const m of code.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(?!\s*=(?!=))/g)) if (!known.has(m[1]) && !PY_BUILTINS.has(m[1])) return false;
  return true;
}

/** What the evaluated file left at module level: its bound names (for argument expressions), and its array library. */
interface ModuleFacts {
  names: Set<string>;
  examples: Examples;
}

/**
 * From the parse: the names the module binds at top level, less those an
 * assignment should have bound but did not (`ran` says which values the run
 * left: an import, `def` or `class` always counts); and NumPy examples for
 * a file that imports NumPy and not torch.
 */
function moduleFacts(source: string, ran: ((name: string) => boolean) | undefined): ModuleFacts {
  const names = new Set<string>();
  try {
    for (const stmt of parseModule(source).body) {
      const always = stmt.kind === 'Import' || stmt.kind === 'ImportFrom' || stmt.kind === 'FunctionDef' || stmt.kind === 'ClassDef';
      for (const name of boundNames(stmt)) if (always || !ran || ran(name)) names.add(name);
    }
  } catch {
    // no parse: no names to read, torch examples
  }
  const numpyOnly = !names.has('torch') && (names.has('np') || names.has('numpy'));
  return { names, examples: numpyOnly ? NUMPY : TORCH };
}

/**
 * Arguments from a call of `f` the file shows: in its code (a call the run
 * never made, in another uncalled function, say), else a `>>> f(...)`
 * example in its docstring, with the names earlier `>>> x = ...` lines bound
 * written out. Only a call whose arguments read module-level names counts.
 */
function fromCallSite(f: FunctionInfo, lines: string[], known: ReadonlySet<string>): string | undefined {
  const name = f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = lines.join('\n');
  const inCode = callSiteArguments(name, text);
  const doctest = new Map<string, string>();
  const fromDoctest: string[] = [];
  for (const line of lines.slice(f.line - 1, f.endLine)) {
    const m = /^\s*>>>\s*(.*)$/.exec(line);
    if (!m) continue;
    const assign = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.+)$/.exec(m[1]);
    if (assign) doctest.set(assign[1], assign[2].trim());
    const call = new RegExp(`(?<![\\w.])${name}\\s*\\(`).exec(m[1]);
    const args = call && argumentsAt(m[1], call.index + call[0].length - 1);
    if (args !== undefined && args !== null) {
      // names an earlier example line bound, written out
      fromDoctest.push(args.replace(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(?!\s*=(?!=))/g, (w) => doctest.get(w) ?? w));
    }
  }
  return [...inCode, ...fromDoctest].find((args) => args.trim() && readsOnly(args, known));
}

/**
 * The argument texts of the calls of `name` (a regex-escaped name) in the file's code, one line
 * each; not its def or class line, not comments or doctests; `topLevel`: only unindented lines.
 */
function callSiteArguments(name: string, text: string, topLevel = false): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'g'))) {
    const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    if (/\b(def|class)\s+$/.test(before) || /^\s*(>>>|\.\.\.)/.test(before) || before.includes('#')) continue;
    if (topLevel && /^\s/.test(before)) continue;
    const args = argumentsAt(text, m.index + m[0].length - 1);
    if (args !== undefined) found.push(args.replace(/\s*\n\s*/g, ' ').trim());
  }
  return found;
}

/**
 * A method's `self` as the file builds its class (`SwinTransformer(img_size=32, ...)` at
 * module level): the first unindented constructor call whose arguments read only module-level names,
 * so the preview's instance is the one the file's sizes agree with. Undefined when none.
 */
function selfFromCallSite(cls: string, source: string, known: ReadonlySet<string>): string | undefined {
  const simple = cls.split('.').pop()!;
  if (!/^[A-Za-z_]\w*$/.test(simple)) return undefined;
  // module-level statements only: a call in a method reads that method's locals, whatever their names
  const args = callSiteArguments(simple, source, true).find((a) => a.trim() && readsOnly(a, known));
  return args === undefined ? undefined : `${simple}(${args})`;
}

/**
 * The argument expressions Preview with Arguments… offers first for `f`
 * (see the file header); `source` is the evaluated file and `result` its
 * evaluation (a call site may read only the module-level names it left
 * bound). `*args` and `**kwargs` are left out; a method's `self` is an
 * instance of its class (`Block()` for a class defined in a function); a
 * default is passed by keyword (`pad_token=0`).
 */
export function prefillArguments(f: FunctionInfo, source = '', result?: Pick<RunResult, 'variables' | 'timeline'>): string {
  const lines = source.split('\n');
  const body = lines.slice(f.line - 1, f.endLine);
  const ran = result && ((name: string) => name in result.variables || result.timeline.some((s) => s.name === name));
  const { names, examples: ex } = moduleFacts(source, ran);
  if (!f.method && f.function === f.name && source) {
    const called = fromCallSite(f, lines, names);
    if (called !== undefined) return called;
  }
  const doc = docstringLines(body);
  const code = body.slice(1).join('\n');
  const plain = f.params.map((p) => /^[A-Za-z_]\w*/.exec(p)?.[0] ?? '');
  // q, k and v together are attention's inputs, not sizes
  const qkv = plain.filter((p) => QKV_NAME.test(p)).length >= 2;
  const out: string[] = [];
  /** The parameter each entry of `out` is for, by name (keyword defaults are left as the code wrote them). */
  const named: string[] = [];
  const cls = f.method ? f.function.split('.<locals>.').pop()!.split('.').slice(0, -1).join('.') : '';
  const classes = f.method ? fileClasses(source) : new Map();
  // the method of an nn.Module: its tensors sized to the instance (see forModule)
  const owner = cls && isModuleClass(cls, classes) ? classes.get(cls) : undefined;
  const embedders = owner ? [...classes.values()].filter((c) => c.name !== cls && /\bEmbedding\(/.test(c.text)).map((c) => c.name) : [];
  const fallback = (q: { name: string; annotation?: string }) => fromAnnotationOrName(q.name, q.annotation, ex, false);
  if (f.method && f.name === '__init__') {
    // the constructor itself: the arguments the instance is built with, again (the file's own call first)
    const built = source ? selfFromCallSite(cls, source, names) : undefined;
    if (built) return [built, built.slice(built.indexOf('(') + 1, -1)].filter(Boolean).join(', ');
    const again = constructorArguments(cls, classes, 0, fallback);
    if (again !== undefined) return [instanceExpression(cls, classes, 0, fallback), ...(again ? [again] : [])].join(', ');
  }
  f.params.forEach((p, i) => {
    if (p.startsWith('*')) return;
    const q = paramText(p, false);
    if (!q) return;
    const { name, annotation, default: dflt } = q;
    // a @classmethod called through its class (`GPT.from_pretrained(...)`) is given its cls by Python
    if (f.method && i === 0 && classes.get(cls)?.classMethods.has(f.name)) return;
    named.push(dflt === undefined ? name : '');
    if (f.method && i === 0 && name === 'ctx' && classes.get(cls)?.staticMethods.has(f.name)) {
      // a torch.autograd.Function's forward(ctx, ...): the context Function.apply would pass
      out.push('torch.autograd.function.FunctionCtx()');
    } else if (f.method && i === 0 && !classes.get(cls)?.staticMethods.has(f.name)) {
      // an instance built by calling the class, which a class defined in a function is
      // by its own name (`Block()` for outer.<locals>.Block.forward)
      out.push((source && selfFromCallSite(cls, source, names)) || instanceExpression(cls, classes, 0, fallback));
    } else if (dflt !== undefined) out.push(`${name}=${dflt.trim()}`);
    else {
      const said = docOf(doc, name);
      const modular = owner && forModule(name, annotation, said, code, owner.text, ex, embedders);
      if (modular) out.push(modular);
      else if (annotation) out.push(fromAnnotationOrName(name, annotation, ex, qkv));
      else out.push((said !== undefined ? fromDoc(name, said, ex) : undefined) ?? fromUsage(name, code, ex) ?? fromName(name, ex, qkv));
    }
  });
  agree(named, out, code, ex);
  return out.join(', ');
}
