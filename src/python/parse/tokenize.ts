// A Python 3.11 tokenizer, written after CPython's Parser/tokenizer.c.
//
// Lezer's Python grammar is forgiving about indentation, strings and
// brackets, so this pass is what finds the errors CPython reports from its
// tokenizer (with CPython's wording) and splits the file into logical lines.
// Unlike CPython it keeps going after an error so that the rest of the file
// can still be previewed: an unterminated string ends at its line, a closing
// bracket that matches nothing is dropped, and a bracket that is never closed
// is cut off at the next line that starts in column 0.

export type TokType = 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'ERRORTOKEN';

export interface Token {
  type: TokType;
  from: number;
  to: number;
  value: string;
}

export type ErrorType = 'SyntaxError' | 'IndentationError' | 'TabError';

export interface TokError {
  message: string;
  errorType: ErrorType;
  /** Where CPython points. */
  from: number;
  to: number;
  /** Offset at which the tokenizer ran into it (orders errors the way CPython meets them). */
  at: number;
  /**
   * CPython's tokenizer raises these itself (unterminated strings, bad
   * characters and numbers, unmatched brackets). When the parser fails
   * earlier, CPython tokenizes the rest of the file and lets such an error
   * take priority over the parser's.
   */
  raisedByTokenizer: boolean;
  /** Set for "'(' was never closed": the opening bracket. */
  unclosed?: Token;
}

export interface LogicalLine {
  /** Offset of column 0 of the physical line the logical line starts on. */
  lineStart: number;
  /** Offset just past the end of the last physical line (past its '\n', or the end of the text). */
  lineEnd: number;
  /** Tokens, without NEWLINE/INDENT/DEDENT. */
  tokens: Token[];
  /** Offset of the NEWLINE that ends the line (the '\n', or the end of the text). */
  newline: number;
  /** Indentation depth (entries on CPython's indent stack above the first). */
  depth: number;
  /** Indentation width in columns (tabs to multiples of 8). */
  indentCol: number;
  errors: TokError[];
}

export interface TokenizeResult {
  lines: LogicalLine[];
  /** All tokenizer errors, in the order the tokenizer met them. */
  errors: TokError[];
  /**
   * Without our recovery cuts, as CPython sees the file: its logical lines,
   * and the innermost bracket still open at the end (the one CPython names).
   */
  uncut: { lines: LogicalLine[]; openAtEnd: Token | null };
}

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf']);
const OPERATORS3 = ['**=', '//=', '>>=', '<<=', '...'];
const OPERATORS2 = new Set([
  '**', '//', '>>', '<<', '<=', '>=', '==', '!=', '->', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '<>',
]);
const OPERATORS1 = new Set('+-*/%@&|^~<>()[]{},:;.='.split(''));
const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
// Keywords that may follow a number directly (CPython 3.11 only warns about `1if x else y`).
const KEYWORDS_AFTER_NUMBER = ['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or'];

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\u00B7]/u;

export function isIdentifierStart(ch: string): boolean {
  return ID_START.test(ch);
}

function lineOfFactory(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Tokenize `text`, which must already have '\n' line ends (see normalizeNewlines).
 * `start` skips a byte-order mark.
 */
export function tokenize(text: string, start = 0): TokenizeResult {
  const lineOf = lineOfFactory(text);
  const cuts = new Set<number>();
  let uncut: TokenizeResult['uncut'] | null = null;
  for (;;) {
    const result = tokenizeOnce(text, start, cuts, lineOf);
    uncut ??= { lines: result.lines, openAtEnd: result.openAtEnd };
    if (result.cut === null || cuts.has(result.cut)) return { lines: result.lines, errors: result.errors, uncut };
    cuts.add(result.cut);
  }
}

interface Bracket {
  token: Token;
}

function tokenizeOnce(
  text: string,
  start: number,
  cuts: Set<number>,
  lineOf: (pos: number) => number,
): { lines: LogicalLine[]; errors: TokError[]; cut: number | null; openAtEnd: Token | null } {
  const n = text.length;
  const lines: LogicalLine[] = [];
  const errors: TokError[] = [];
  const indents = [0];
  const altIndents = [0];
  let brackets: Bracket[] = [];
  let pos = start;
  let atBol = true;
  let line: LogicalLine | null = null;
  let cut: number | null = null;
  let openAtEnd: Token | null = null;

  const error = (e: Omit<TokError, 'at'> & { at?: number }): void => {
    const full: TokError = { ...e, at: e.at ?? e.from };
    errors.push(full);
    line?.errors.push(full);
  };
  const physicalLineEnd = (p: number): number => {
    const nl = text.indexOf('\n', p);
    return nl < 0 ? n : nl + 1;
  };
  const finishLine = (newline: number): void => {
    if (!line) return;
    line.newline = newline;
    line.lineEnd = physicalLineEnd(Math.min(newline, n));
    lines.push(line);
    line = null;
  };
  const push = (type: TokType, from: number, to: number): Token => {
    const tok: Token = { type, from, to, value: text.slice(from, to) };
    line!.tokens.push(tok);
    return tok;
  };

  for (;;) {
    if (atBol) {
      atBol = false;
      let col = 0;
      let alt = 0;
      let p = pos;
      for (; p < n; p++) {
        const c = text[p];
        if (c === ' ') {
          col++;
          alt++;
        } else if (c === '\t') {
          col = (Math.floor(col / 8) + 1) * 8;
          alt++;
        } else if (c === '\f') {
          col = alt = 0;
        } else break;
      }
      if (p >= n) {
        pos = p;
      } else if (text[p] === '#' || text[p] === '\n') {
        // Blank or comment-only line: no indentation meaning.
        pos = physicalLineEnd(p);
        atBol = true;
        if (pos >= n) {
          pos = n;
          atBol = false;
        } else continue;
      } else {
        line = { lineStart: pos, lineEnd: pos, tokens: [], newline: n, depth: 0, indentCol: col, errors: [] };
        const top = indents[indents.length - 1]!;
        const altTop = altIndents[altIndents.length - 1]!;
        const tabError = (): void =>
          error({
            message: 'inconsistent use of tabs and spaces in indentation',
            errorType: 'TabError',
            from: pos,
            to: p,
            at: pos,
            raisedByTokenizer: false,
          });
        if (col === top) {
          if (alt !== altTop) tabError();
        } else if (col > top) {
          indents.push(col);
          altIndents.push(alt);
          if (alt <= altTop) tabError();
        } else {
          while (indents.length > 1 && col < indents[indents.length - 1]!) {
            indents.pop();
            altIndents.pop();
          }
          if (col !== indents[indents.length - 1]) {
            error({
              message: 'unindent does not match any outer indentation level',
              errorType: 'IndentationError',
              from: p,
              to: p,
              at: pos,
              raisedByTokenizer: false,
            });
            // Recover by treating the line as one level deeper than the block it left.
            indents.push(col);
            altIndents.push(alt);
          } else if (alt !== altIndents[altIndents.length - 1]) tabError();
        }
        line.depth = indents.length - 1;
        pos = p;
      }
    }

    // Skip spaces and comments.
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\f')) pos++;
    if (text[pos] === '#') {
      while (pos < n && text[pos] !== '\n') pos++;
    }

    if (pos >= n) {
      if (brackets.length > 0 && line) {
        // Never closed: cut the statement at the next line starting in column 0, if any.
        const opener = brackets[0]!.token;
        const openerLine = lineOf(opener.from);
        for (const tok of line.tokens) {
          if (tok.from <= opener.from || lineOf(tok.from) <= openerLine) continue;
          const bol = text.lastIndexOf('\n', tok.from - 1) + 1;
          if (bol === tok.from && !(tok.value in OPENERS)) {
            cut = bol;
            break;
          }
        }
        const innermost = brackets[brackets.length - 1]!.token;
        openAtEnd = innermost;
        error({
          message: `'${innermost.value}' was never closed`,
          errorType: 'SyntaxError',
          from: innermost.from,
          to: innermost.to,
          at: n,
          raisedByTokenizer: false,
          unclosed: innermost,
        });
        brackets = [];
      }
      finishLine(n);
      break;
    }

    const c = text[pos]!;
    if (!line) {
      // Only reachable after a backslash continuation swallowed the line start.
      line = { lineStart: text.lastIndexOf('\n', pos - 1) + 1, lineEnd: pos, tokens: [], newline: n, depth: indents.length - 1, indentCol: 0, errors: [] };
    }

    if (c === '\n') {
      if (brackets.length > 0 || line.tokens.length === 0) {
        pos++;
        if (brackets.length > 0 && cuts.has(pos)) {
          const innermost = brackets[brackets.length - 1]!.token;
          error({
            message: `'${innermost.value}' was never closed`,
            errorType: 'SyntaxError',
            from: innermost.from,
            to: innermost.to,
            at: pos,
            raisedByTokenizer: false,
            unclosed: innermost,
          });
          brackets = [];
          finishLine(pos - 1);
          atBol = true;
        }
        continue;
      }
      finishLine(pos);
      pos++;
      atBol = true;
      continue;
    }

    if (c === '\\') {
      if (text[pos + 1] === '\n') {
        pos += 2;
        if (pos >= n) {
          error({
            message: 'unexpected EOF while parsing',
            errorType: 'SyntaxError',
            from: pos - 1,
            to: pos - 1,
            raisedByTokenizer: false,
          });
        }
        continue;
      }
      error({
        message: 'unexpected character after line continuation character',
        errorType: 'SyntaxError',
        from: pos + 1,
        to: pos + 1,
        at: pos,
        raisedByTokenizer: false,
      });
      pos++;
      continue;
    }

    const cp = text.codePointAt(pos)!;
    const ch = String.fromCodePoint(cp);

    if (ID_START.test(ch)) {
      let p = pos + ch.length;
      while (p < n) {
        const d = String.fromCodePoint(text.codePointAt(p)!);
        if (!ID_CONTINUE.test(d)) break;
        p += d.length;
      }
      const word = text.slice(pos, p);
      if ((text[p] === "'" || text[p] === '"') && STRING_PREFIXES.has(word.toLowerCase())) {
        pos = readString(pos, p);
      } else {
        push('NAME', pos, p);
        pos = p;
      }
      continue;
    }

    if ((c >= '0' && c <= '9') || (c === '.' && text[pos + 1]! >= '0' && text[pos + 1]! <= '9')) {
      pos = readNumber(pos);
      continue;
    }

    if (c === "'" || c === '"') {
      pos = readString(pos, pos);
      continue;
    }

    const three = text.slice(pos, pos + 3);
    const two = text.slice(pos, pos + 2);
    let op: string | null = null;
    if (OPERATORS3.includes(three)) op = three;
    else if (OPERATORS2.has(two)) op = two;
    else if (OPERATORS1.has(c)) op = c;
    if (op !== null) {
      const tok = push('OP', pos, pos + op.length);
      pos += op.length;
      if (op === '(' || op === '[' || op === '{') brackets.push({ token: tok });
      else if (op in OPENERS) closeBracket(tok);
      continue;
    }

    if (cp > 127) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      error({
        message: `invalid character '${ch}' (U+${hex})`,
        errorType: 'SyntaxError',
        from: pos,
        to: pos + ch.length,
        raisedByTokenizer: true,
      });
    }
    // '$', '?', '`', a lone '!': CPython hands the parser an ERRORTOKEN and reports "invalid syntax".
    push('ERRORTOKEN', pos, pos + ch.length);
    pos += ch.length;
  }

  return { lines, errors, cut, openAtEnd };

  function closeBracket(tok: Token): void {
    const want = OPENERS[tok.value]!;
    if (brackets.length === 0) {
      error({ message: `unmatched '${tok.value}'`, errorType: 'SyntaxError', from: tok.from, to: tok.to, raisedByTokenizer: true });
      return;
    }
    const top = brackets[brackets.length - 1]!.token;
    if (top.value === want) {
      brackets.pop();
      return;
    }
    const sameLine = lineOf(top.from) === lineOf(tok.from);
    error({
      message:
        `closing parenthesis '${tok.value}' does not match opening parenthesis '${top.value}'` +
        (sameLine ? '' : ` on line ${lineOf(top.from)}`),
      errorType: 'SyntaxError',
      from: tok.from,
      to: tok.to,
      raisedByTokenizer: true,
    });
    // Recover: close down to a matching bracket if there is one, else just the innermost.
    let i = brackets.length - 1;
    while (i >= 0 && brackets[i]!.token.value !== want) i--;
    brackets.length = i >= 0 ? i : brackets.length - 1;
  }

  function readString(from: number, quoteAt: number): number {
    const q = text[quoteAt]!;
    const triple = text.startsWith(q + q + q, quoteAt);
    let p = quoteAt + (triple ? 3 : 1);
    for (;;) {
      if (p >= n) {
        const lastLine = lineOf(Math.max(0, n - 1));
        error({
          message: triple
            ? `unterminated triple-quoted string literal (detected at line ${lastLine})`
            : `unterminated string literal (detected at line ${lastLine})`,
          errorType: 'SyntaxError',
          from,
          to: from,
          at: n,
          raisedByTokenizer: true,
        });
        push('STRING', from, n);
        return n;
      }
      const c = text[p];
      if (c === '\\') {
        p += 2;
        continue;
      }
      if (c === '\n' && !triple) {
        error({
          message: `unterminated string literal (detected at line ${lineOf(p)})`,
          errorType: 'SyntaxError',
          from,
          to: from,
          at: p,
          raisedByTokenizer: true,
        });
        push('STRING', from, p);
        return p;
      }
      if (c === q && (!triple || text.startsWith(q + q + q, p))) {
        p += triple ? 3 : 1;
        push('STRING', from, p);
        return p;
      }
      p++;
    }
  }

  function readNumber(from: number): number {
    let p = from;
    const isDigit = (ch: string | undefined, re: RegExp): boolean => ch !== undefined && re.test(ch);
    const fail = (message: string, at: number): number => {
      // Swallow the rest of the malformed literal.
      while (p < n && ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(p)!))) p++;
      error({ message, errorType: 'SyntaxError', from: at, to: at, raisedByTokenizer: true });
      push('NUMBER', from, p);
      return p;
    };
    // digits with single underscores between them; returns false on a dangling underscore
    const digits = (re: RegExp): boolean => {
      for (;;) {
        while (isDigit(text[p], re)) p++;
        if (text[p] !== '_') return true;
        p++;
        if (!isDigit(text[p], re)) return false;
      }
    };
    const endOk = (): boolean => {
      if (p >= n) return true;
      const ch = String.fromCodePoint(text.codePointAt(p)!);
      if (!ID_CONTINUE.test(ch)) return true;
      return KEYWORDS_AFTER_NUMBER.some((kw) => text.startsWith(kw, p));
    };

    if (text[p] === '0' && /[xXoObB]/.test(text[p + 1] ?? '')) {
      const kind = text[p + 1]!.toLowerCase();
      const name = kind === 'x' ? 'hexadecimal' : kind === 'o' ? 'octal' : 'binary';
      const re = kind === 'x' ? /[0-9a-fA-F]/ : kind === 'o' ? /[0-7]/ : /[01]/;
      p += 2;
      if (text[p] === '_') p++;
      if (!isDigit(text[p], re)) {
        if (kind !== 'x' && isDigit(text[p], /[0-9]/)) return fail(`invalid digit '${text[p]}' in ${name} literal`, p);
        return fail(`invalid ${name} literal`, p);
      }
      if (!digits(re)) return fail(`invalid ${name} literal`, p);
      if (kind !== 'x' && isDigit(text[p], /[0-9]/)) return fail(`invalid digit '${text[p]}' in ${name} literal`, p);
      if (!endOk()) return fail(`invalid ${name} literal`, p);
      push('NUMBER', from, p);
      return p;
    }

    const dec = /[0-9]/;
    let isFloat = false;
    if (text[p] !== '.') {
      if (!digits(dec)) return fail('invalid decimal literal', p);
    }
    const intEnd = p;
    if (text[p] === '.') {
      isFloat = true;
      p++;
      if (isDigit(text[p], dec) && !digits(dec)) return fail('invalid decimal literal', p);
    }
    if (text[p] === 'e' || text[p] === 'E') {
      const save = p;
      p++;
      if (text[p] === '+' || text[p] === '-') p++;
      if (!isDigit(text[p], dec)) {
        // `1else`: the 'e' starts a keyword, not an exponent.
        if (KEYWORDS_AFTER_NUMBER.some((kw) => text.startsWith(kw, save))) {
          p = save;
        } else return fail('invalid decimal literal', p);
      } else {
        isFloat = true;
        if (!digits(dec)) return fail('invalid decimal literal', p);
      }
    }
    if (text[p] === 'j' || text[p] === 'J') {
      isFloat = true;
      p++;
    }
    const intText = text.slice(from, intEnd).replace(/_/g, '');
    if (!isFloat && intText.length > 1 && intText[0] === '0' && /[1-9]/.test(intText)) {
      return fail('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', from);
    }
    if (!endOk()) return fail('invalid decimal literal', p);
    push('NUMBER', from, p);
    return p;
  }
}

/**
 * Python reads '\r\n' and a lone '\r' as '\n'. Rewriting them in place keeps
 * every offset (and every line start) valid for the original text: '\r\n'
 * becomes ' \n', and a backslash that escapes the line end moves into the
 * '\r' slot so that it still sits right before the '\n'.
 */
export function normalizeNewlines(source: string): string {
  if (!source.includes('\r')) return source;
  return source.replace(/(\\*)(\r\n?)/g, (_m, slashes: string, nl: string) => {
    if (nl === '\r') return slashes + '\n';
    return slashes.length % 2 === 1 ? ' ' + slashes + '\n' : slashes + ' \n';
  });
}
