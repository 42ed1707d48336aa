// Our own typed Python AST. Every node carries a span so that every error
// the evaluator raises can point at a line. Lines are 1-based, columns 0-based.

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  from: number; // document offsets
  to: number;
}

interface Node {
  span: Span;
}

// ---------- expressions ----------

export type Expr =
  | Name
  | Constant
  | FString
  | BinOp
  | UnaryOp
  | BoolOp
  | Compare
  | Call
  | Attribute
  | Subscript
  | Slice
  | ListExpr
  | TupleExpr
  | DictExpr
  | SetExpr
  | ListComp
  | DictComp
  | GeneratorExp
  | IfExp
  | Lambda
  | Starred
  | NamedExpr
  | Yield
  | YieldFrom;

export interface Name extends Node { kind: 'Name'; id: string }

export type ConstantValue =
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number }
  | { type: 'complex'; value: number } // imaginary part only (e.g. 2j); evaluator may reject
  | { type: 'str'; value: string }
  | { type: 'bytes'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'None' }
  | { type: 'Ellipsis' };

export interface Constant extends Node { kind: 'Constant'; value: ConstantValue }

/** f"..." : literal parts and formatted expressions, in order. */
export interface FString extends Node {
  kind: 'FString';
  parts: (string | { expr: Expr; conversion?: 'r' | 's' | 'a'; formatSpec?: FString; debugText?: string })[];
}

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';

export interface BinOp extends Node { kind: 'BinOp'; op: BinaryOperator; left: Expr; right: Expr }

export interface UnaryOp extends Node { kind: 'UnaryOp'; op: '-' | '+' | '~' | 'not'; operand: Expr }

export interface BoolOp extends Node { kind: 'BoolOp'; op: 'and' | 'or'; values: Expr[] }

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';

/** a < b <= c : ops.length === comparators.length */
export interface Compare extends Node { kind: 'Compare'; left: Expr; ops: CompareOperator[]; comparators: Expr[] }

export interface Keyword { name: string | null; value: Expr; span: Span } // name null => **kwargs

export interface Call extends Node { kind: 'Call'; func: Expr; args: Expr[]; keywords: Keyword[] } // args may contain Starred

export interface Attribute extends Node { kind: 'Attribute'; value: Expr; attr: string; attrSpan: Span }

/** x[i], x[i, j], x[1:2, ..., None] : a tuple index is a TupleExpr of elements that may be Slice */
export interface Subscript extends Node { kind: 'Subscript'; value: Expr; index: Expr }

export interface Slice extends Node { kind: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null }

export interface ListExpr extends Node { kind: 'List'; elts: Expr[] }
export interface TupleExpr extends Node { kind: 'Tuple'; elts: Expr[] }
export interface SetExpr extends Node { kind: 'Set'; elts: Expr[] }
/** key null => **mapping */
export interface DictExpr extends Node { kind: 'Dict'; keys: (Expr | null)[]; values: Expr[] }

export interface Comprehension { target: Target; iter: Expr; ifs: Expr[]; span: Span }

export interface ListComp extends Node { kind: 'ListComp'; elt: Expr; generators: Comprehension[]; set?: boolean }
export interface GeneratorExp extends Node { kind: 'GeneratorExp'; elt: Expr; generators: Comprehension[] }
export interface DictComp extends Node { kind: 'DictComp'; key: Expr; value: Expr; generators: Comprehension[] }

export interface IfExp extends Node { kind: 'IfExp'; test: Expr; body: Expr; orelse: Expr }

export interface Lambda extends Node { kind: 'Lambda'; params: Parameters; body: Expr }

export interface Starred extends Node { kind: 'Starred'; value: Expr; double?: boolean }

export interface NamedExpr extends Node { kind: 'NamedExpr'; target: Name; value: Expr }

/** `yield`, `yield x`, `x = yield y`: makes the enclosing function a generator. */
export interface Yield extends Node { kind: 'Yield'; value: Expr | null }
/** `yield from iterable`: delegates to a sub-iterator and evaluates to its return value. */
export interface YieldFrom extends Node { kind: 'YieldFrom'; value: Expr }

/** Assignment targets: Name, Attribute, Subscript, or Tuple/List (with at most one Starred) of targets. */
export type Target = Expr;

export interface Param { name: string; default: Expr | null; span: Span }

export interface Parameters {
  posonly: Param[];
  args: Param[];
  vararg: Param | null; // *args
  kwonly: Param[];
  kwarg: Param | null; // **kwargs
}

// ---------- statements ----------

export type Stmt =
  | ExprStmt
  | Assign
  | AugAssign
  | AnnAssign
  | FunctionDef
  | ClassDef
  | Return
  | If
  | For
  | While
  | Break
  | Continue
  | Pass
  | Import
  | ImportFrom
  | Try
  | Raise
  | With
  | Assert
  | Delete
  | Global
  | Nonlocal
  | SyntaxErrorStmt;

export interface ExprStmt extends Node { kind: 'Expr'; value: Expr }
/** a = b = value : targets in source order */
export interface Assign extends Node { kind: 'Assign'; targets: Target[]; value: Expr }
export interface AugAssign extends Node { kind: 'AugAssign'; target: Target; op: BinaryOperator; value: Expr }
export interface AnnAssign extends Node { kind: 'AnnAssign'; target: Target; annotation: Expr; value: Expr | null }
export interface FunctionDef extends Node {
  kind: 'FunctionDef';
  name: string;
  params: Parameters;
  body: Stmt[];
  decorators: Expr[];
  returns: Expr | null;
  isAsync?: boolean;
}
export interface ClassDef extends Node {
  kind: 'ClassDef';
  name: string;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorators: Expr[];
  docstring?: string;
}
export interface Return extends Node { kind: 'Return'; value: Expr | null }
export interface If extends Node { kind: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] } // elif => nested If in orelse
export interface For extends Node { kind: 'For'; target: Target; iter: Expr; body: Stmt[]; orelse: Stmt[] }
export interface While extends Node { kind: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface Break extends Node { kind: 'Break' }
export interface Continue extends Node { kind: 'Continue' }
export interface Pass extends Node { kind: 'Pass' }
export interface Alias { name: string; asname: string | null; span: Span } // name may be dotted: "torch.nn"
export interface Import extends Node { kind: 'Import'; names: Alias[] }
export interface ImportFrom extends Node { kind: 'ImportFrom'; module: string; level: number; names: Alias[] } // name "*" for star
export interface ExceptHandler { type: Expr | null; name: string | null; body: Stmt[]; span: Span }
export interface Try extends Node { kind: 'Try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[] }
export interface Raise extends Node { kind: 'Raise'; exc: Expr | null; cause: Expr | null }
export interface WithItem { context: Expr; target: Target | null }
export interface With extends Node { kind: 'With'; items: WithItem[]; body: Stmt[] }
export interface Assert extends Node { kind: 'Assert'; test: Expr; msg: Expr | null }
export interface Delete extends Node { kind: 'Delete'; targets: Target[] }
export interface Global extends Node { kind: 'Global'; names: string[] }
export interface Nonlocal extends Node { kind: 'Nonlocal'; names: string[] }

/**
 * A top-level statement that did not parse. It raises SyntaxError when reached,
 * and because it is its own statement the rest of the file still runs in
 * preview mode.
 */
export interface SyntaxErrorStmt extends Node {
  kind: 'SyntaxError';
  message: string;
  /** Where CPython reports the error (its line is CPython's lineno); `span` covers the whole statement. */
  errorSpan?: Span;
  /** CPython raises IndentationError/TabError (subclasses of SyntaxError) for indentation problems. */
  errorType?: SyntaxErrorType;
}

export type SyntaxErrorType = 'SyntaxError' | 'IndentationError' | 'TabError';

export interface Module {
  body: Stmt[];
  /** Syntax errors in source order (each also present as a SyntaxErrorStmt in body). */
  syntaxErrors: { message: string; span: Span; errorType?: SyntaxErrorType }[];
  /**
   * CPython stops at one syntax error per file, and it is not always the
   * first in source order (a tokenizer error further down wins over a parser
   * error; parse errors win over compile-time ones like 'return' outside
   * function). Index into syntaxErrors of the one `python x.py` reports.
   */
  reported?: number;
}
