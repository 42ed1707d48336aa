// Lexical scopes. Each function call gets a Scope whose `enclosing` pointer
// leads to the defining function's scope and finally the module scope.

import type { PyValue } from './values';

export class Scope {
  readonly vars = new Map<string, PyValue>();
  readonly globalNames = new Set<string>();
  readonly nonlocalNames = new Set<string>();
  /** A comprehension's own scope: `:=` inside it binds in the enclosing one (PEP 572). */
  comprehension = false;

  constructor(
    readonly enclosing: Scope | null,
    readonly kind: 'module' | 'function' | 'class' = enclosing ? 'function' : 'module',
  ) {}

  get module(): Scope {
    let s: Scope = this;
    while (s.enclosing) s = s.enclosing;
    return s;
  }

  /** Name resolution: local, enclosing functions (class bodies are skipped), module. */
  lookup(name: string): PyValue | undefined {
    if (this.globalNames.has(name)) return this.module.vars.get(name);
    if (this.vars.has(name)) return this.vars.get(name);
    let s = this.enclosing;
    while (s) {
      if (s.kind !== 'class' || s.enclosing === null) {
        if (s.vars.has(name)) return s.vars.get(name);
      }
      s = s.enclosing;
    }
    return undefined;
  }

  /** The scope an assignment to `name` writes to. */
  target(name: string): Scope {
    if (this.globalNames.has(name)) return this.module;
    if (this.nonlocalNames.has(name)) {
      let s = this.enclosing;
      while (s && s.enclosing) {
        if (s.vars.has(name)) return s;
        s = s.enclosing;
      }
    }
    return this;
  }

  assign(name: string, value: PyValue): void {
    this.target(name).vars.set(name, value);
  }
}
