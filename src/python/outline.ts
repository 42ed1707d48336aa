// What a module defines and binds, from its syntax alone (no evaluation):
// qualified names of its functions, the names a statement binds, and the
// lines of its `def`s. Imports nothing but the parser, so the extension host
// can place its CodeLenses at once, before the evaluation finishes.
import type * as A from './ast';
import { parseModule } from './parse';

/** Qualified names of every `def` in a module, as Python's __qualname__ spells them. */
export function qualifiedNames(body: readonly A.Stmt[]): Map<A.FunctionDef, string> {
  const out = new Map<A.FunctionDef, string>();
  forEachDef(body, (def, _inClass, qualname) => out.set(def, qualname));
  return out;
}

/** The plain names an assignment target binds: `x`, `a, *b`; not `x[0]` or `self.m`. */
function targetNames(t: A.Target): string[] {
  switch (t.kind) {
    case 'Name': return [t.id];
    case 'Tuple': case 'List': return t.elts.flatMap(targetNames);
    case 'Starred': return targetNames(t.value);
    default: return [];
  }
}

/**
 * Names a statement binds in its scope when it runs to the end: assignment,
 * loop, `with` and `except` targets, imports, `def` and `class`, and those of
 * the bodies of a compound statement. What a failing statement would have bound.
 */
export function boundNames(s: A.Stmt): string[] {
  const own: string[] = [];
  switch (s.kind) {
    case 'Assign': own.push(...s.targets.flatMap(targetNames)); break;
    case 'AnnAssign': if (s.value) own.push(...targetNames(s.target)); break;
    case 'For': own.push(...targetNames(s.target)); break;
    case 'With': for (const item of s.items) if (item.target) own.push(...targetNames(item.target)); break;
    case 'Try': for (const h of s.handlers) if (h.name) own.push(h.name); break;
    case 'Import': for (const a of s.names) own.push(a.asname ?? a.name.split('.')[0]); break;
    case 'ImportFrom': for (const a of s.names) if (a.name !== '*') own.push(a.asname ?? a.name); break;
    case 'FunctionDef': case 'ClassDef': own.push(s.name); break;
  }
  return [...own, ...childBodies(s).flatMap((b) => b.flatMap(boundNames))];
}

/** The statement lists nested in a compound statement. */
export function childBodies(s: A.Stmt): (readonly A.Stmt[])[] {
  switch (s.kind) {
    case 'If': case 'For': case 'While': return [s.body, s.orelse];
    case 'With': return [s.body];
    case 'Try': return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    default: return [];
  }
}

/** Where a function's CodeLens goes before any evaluation: its qualified name and the line of its `def`. */
export interface DefLine {
  function: string;
  line: number;
  /** A `@x.setter` / `@x.deleter` def: it shares its property's qualified name (the getter's lens covers it). */
  accessor?: 'fset' | 'fdel';
}

/**
 * Which function of a property a decorated def is: `@property` (or
 * `@x.getter`) 'fget', `@x.setter` 'fset', `@x.deleter` 'fdel';
 * undefined for any other def. A property is called through it
 * (Block.head_dim.fget(self)).
 */
export function propertyAccessor(def: { decorators: readonly A.Expr[] }): 'fget' | 'fset' | 'fdel' | undefined {
  for (const d of def.decorators) {
    if (d.kind === 'Name' && d.id === 'property') return 'fget';
    if (d.kind === 'Attribute') {
      const field = ({ getter: 'fget', setter: 'fset', deleter: 'fdel' } as const)[d.attr as 'getter' | 'setter' | 'deleter'];
      if (field) return field;
    }
  }
  return undefined;
}

/**
 * Every `def` in a module (methods and nested functions too), in source
 * order, in one walk: `visit` sees each with whether it sits directly in a
 * class body, and its qualified name as Python's __qualname__ spells it
 * (`Attn.forward`, `outer.<locals>.inner`).
 */
export function forEachDef(body: readonly A.Stmt[], visit: (def: A.FunctionDef, inClass: boolean, qualname: string) => void): void {
  const walk = (stmts: readonly A.Stmt[], inClass: boolean, prefix: string) => {
    for (const s of stmts) {
      if (s.kind === 'FunctionDef') {
        const qualname = prefix + s.name;
        visit(s, inClass, qualname);
        walk(s.body, false, `${qualname}.<locals>.`);
      } else if (s.kind === 'ClassDef') walk(s.body, true, `${prefix}${s.name}.`);
      else for (const b of childBodies(s)) walk(b, false, prefix);
    }
  };
  walk(body, false, '');
}

/** The `def` lines of a source file, parsed only (a syntax error elsewhere leaves the rest). */
export function defLines(source: string): DefLine[] {
  const out: DefLine[] = [];
  forEachDef(parseModule(source).body, (def, inClass, qualname) => {
    const accessor = inClass ? propertyAccessor(def) : undefined;
    out.push({ function: qualname, line: def.span.line, ...(accessor === 'fset' || accessor === 'fdel' ? { accessor } : {}) });
  });
  return out;
}
