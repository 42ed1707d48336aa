// Placeholders for packages Mask Lens does not model (transformers,
// fairscale, flash_attn, ...). Importing one never fails: the names it
// binds are placeholders, and only *using* one (calling it, doing
// arithmetic with it, iterating it, printing it) raises
// NotImplementedError at that line. Everything that does not depend on the
// package still previews.
//
// A placeholder used as a base class becomes an opaque class: the file's
// own methods run, `super().__init__(...)` into it does nothing, and an
// attribute only the real base would provide raises NotImplementedError
// naming it.

import { pyError } from './exceptions';
import { Kwargs, PyBuiltin, PyClass, PyModule, PyObj, PyValue } from './values';

/** How the message reads: real PyTorch/NumPy names are "not supported yet", other packages "not modelled". */
function message(fullName: string): string {
  const top = fullName.split('.')[0];
  return ['torch', 'numpy', 'tensorflow', 'keras'].includes(top)
    ? `${fullName} is not supported by Mask Lens yet`
    : `${fullName} is not modelled by Mask Lens`;
}

export function notModelled(fullName: string): never {
  throw pyError('NotImplementedError', message(fullName));
}

/** A name from an unmodelled package: any use raises NotImplementedError. */
export class PyOpaque extends PyObj {
  constructor(readonly fullName: string) {
    super();
  }
  get typeName(): string {
    return this.fullName.split('.').pop()!;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__name__') return this.typeName;
    if (name === '__qualname__') return this.typeName;
    if (name === '__module__') return this.fullName.split('.').slice(0, -1).join('.');
    // attribute chains stay lazy: `transformers.models.llama.LlamaConfig` fails where it is used
    if (name.startsWith('__')) return notModelled(`${this.fullName}.${name}`);
    return new PyOpaque(`${this.fullName}.${name}`);
  }
  override setAttr(): boolean {
    // configuration writes (torch.backends.cudnn.deterministic = True) change nothing Mask Lens models
    return true;
  }
  override call(_args: PyValue[], _kw: Kwargs): PyValue {
    return notModelled(this.fullName);
  }
  override binaryOp(): PyValue {
    return notModelled(this.fullName);
  }
  override unaryOp(): PyValue {
    return notModelled(this.fullName);
  }
  override compare(op: string): PyValue | undefined {
    // == falls back to identity, as for any object without __eq__
    if (op === '==' || op === '!=') return undefined;
    return notModelled(this.fullName);
  }
  override getItem(): PyValue {
    return notModelled(this.fullName);
  }
  override setItem(): boolean {
    return notModelled(this.fullName);
  }
  override length(): number {
    return notModelled(this.fullName);
  }
  override iterate(): PyValue[] {
    return notModelled(this.fullName);
  }
  override truthy(): boolean {
    return notModelled(this.fullName);
  }
  override repr(): string {
    return notModelled(this.fullName);
  }
}

/** `import transformers`: a module whose every attribute is a placeholder. */
export class OpaqueModule extends PyModule {
  override getAttr(name: string): PyValue | undefined {
    const own = this.dict.get(name);
    if (own !== undefined) return own;
    if (name === '__name__') return this.name;
    if (name.startsWith('__')) return undefined;
    return new PyOpaque(`${this.name}.${name}`);
  }
}

/**
 * Opaque classes, one per placeholder name per evaluation, so that
 * `isinstance(model, PreTrainedModel)` and two subclasses of the same base
 * agree.
 */
export class OpaqueClasses {
  private readonly classes = new Map<string, PyClass>();

  constructor(private readonly object: PyClass) {}

  classFor(p: PyOpaque): PyClass {
    let cls = this.classes.get(p.fullName);
    if (!cls) {
      cls = new PyClass(p.typeName, [this.object], p.fullName);
      cls.opaque = p.fullName;
      // the real __init__ would set up state we do not model; the subclass's own __init__ still runs
      cls.dict.set('__init__', new PyBuiltin('__init__', () => null, `${p.fullName}.__init__`));
      this.classes.set(p.fullName, cls);
    }
    return cls;
  }
}

/** The first opaque class an attribute lookup on `cls` would have reached. */
export function opaqueBase(cls: PyClass): PyClass | undefined {
  return cls.mro().find((c) => c.opaque !== undefined);
}
