// PyTorch's argument parser for an int-list parameter (`size`, `shape`,
// `dims`, `repeats`: IntArrayRef / SymIntArrayRef in native_functions.yaml),
// with its exact TypeError wording (PyTorch 2.13,
// torch/csrc/utils/python_arg_parser.cpp). One parser for every torch
// function and Tensor method that takes a size, so `zeros`, `reshape`,
// `view`, `expand`, `repeat`, `permute`, `new_*`... refuse a float, None or
// a nested tuple in the same words PyTorch does.
//
// What the parser does, in short:
// - a parameter that is the signature's only positional one takes varargs:
//   f(2, 3) is f((2, 3)), when the first argument is an int;
// - choosing a signature checks only the first element of a tuple or list
//   ("found element of type float at pos 0"); the others are converted
//   after, each failure "failed to unpack the object at pos N" (1-based);
// - the first element must be an int proper (bool is refused), later ones
//   may be bools (Python's int conversion accepts them);
// - a function with several signatures (view, rand, randn) lists them when
//   none fits ("received an invalid combination of arguments").

import { pyError } from '../../python/exceptions';
import { PyList, PyObj, PyTuple, typeNameOf, type Kwargs, type PyValue } from '../../python/values';
import { ArrayValue } from '../common';

/** One int-list parameter of one torch function or method, as PyTorch's signature declares it. */
export interface SizeParam {
  /** The name PyTorch's messages give the function ("zeros", "reshape"). */
  fn: string;
  /** The parameter's name ("size", "shape", "dims", "repeats"). */
  param: string;
  /** Its 1-based position in the signature (a method's self not counted). */
  position: number;
  /** It is the only positional parameter, so f(2, 3) means f((2, 3)). */
  varargs: boolean;
  /**
   * The signatures PyTorch lists when no signature fits (view, rand, randn).
   * `ambiguous`: several of them accept one argument, so a single bad
   * argument also gets the list (view(dtype) and view(size)); otherwise it
   * gets the one signature's own error.
   */
  overloads?: { signatures: string[]; ambiguous: boolean };
}

/** Python's int for PyTorch's signature check: int proper, or an object with __index__ (an int tensor, np.int64). */
function isIndex(v: PyValue): boolean {
  if (typeof v === 'bigint') return true;
  return v instanceof PyObj && (v as PyObj & { asIndex?: () => number | undefined }).asIndex?.() !== undefined;
}

/** The element conversion after the check: int, bool, or __index__; undefined when it fails. */
function unpackIndex(v: PyValue): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyObj) return (v as PyObj & { asIndex?: () => number | undefined }).asIndex?.();
  return undefined;
}

/**
 * Py_TYPE(obj)->tp_name, as PyTorch's messages name a type: NumPy's scalars are "numpy.float64",
 * a NumPy dtype "numpy.dtypes.Float32DType" (an object's own `tpName`), a class "type".
 */
export function tpName(v: PyValue): string {
  const own = (v as { tpName?: string } | null)?.tpName;
  if (own) return own;
  const name = typeNameOf(v);
  if (v instanceof ArrayValue && name !== 'Tensor') return name === 'ndarray' ? 'numpy.ndarray' : `numpy.${name}`;
  return name;
}

/** A type as the invalid-combination message describes an argument: "tuple of (float, int)". */
function describe(v: PyValue): string {
  if (v instanceof PyTuple) return `tuple of (${v.items.map(tpName).join(', ')})`;
  if (v instanceof PyList) return `list of [${v.items.map(tpName).join(', ')}]`;
  return tpName(v);
}

const isSequence = (v: PyValue): v is PyTuple | PyList => v instanceof PyTuple || v instanceof PyList;

function unpackAll(p: SizeParam, items: readonly PyValue[]): number[] {
  return items.map((v, i) => {
    const n = unpackIndex(v);
    if (n === undefined) {
      throw pyError('TypeError', `${p.fn}(): argument '${p.param}' failed to unpack the object at pos ${i + 1} with error "type must be tuple of ints,but got ${tpName(v)}"`);
    }
    return n;
  });
}

/** "received an invalid combination of arguments": `bad` marks the arguments each signature found of the wrong type. */
function invalidCombination(p: SizeParam, got: string, bad?: { keyword?: string; text: string }): Error {
  const lines = p.overloads!.signatures.map((s) => {
    if (!bad) return ` * ${s}`;
    // a signature without the keyword has it as an unknown keyword; the others, of the wrong type
    if (bad.keyword && !s.includes(` ${bad.keyword})`) && !s.includes(` ${bad.keyword},`)) {
      return ` * ${s}\n      didn't match because some of the keywords were incorrect: ${bad.keyword}`;
    }
    return ` * ${s}\n      didn't match because some of the arguments have invalid types: (${bad.text})`;
  });
  return pyError('TypeError', `${p.fn}() received an invalid combination of arguments - got (${got}), but expected one of:\n${lines.join('\n')}\n`);
}

/**
 * A torch size argument: `positional` are the arguments at the parameter's
 * place (all the remaining positional arguments of a varargs parameter),
 * `keyword` its value when passed by name. Returns the ints, unchecked for
 * sign (each op raises its own error for a negative size). Raises
 * PyTorch 2.13's TypeError for anything else: a float, None, a string, a
 * nested tuple, a bool first element, an int where only a tuple is allowed.
 */
export function parseSize(p: SizeParam, positional: readonly PyValue[], keyword?: PyValue): number[] {
  if (positional.length === 0 && keyword === undefined) {
    if (p.overloads) throw invalidCombination(p, '');
    throw pyError('TypeError', `${p.fn}() missing 1 required positional arguments: "${p.param}"`);
  }
  if (positional.length === 0 && keyword !== undefined) {
    if (isSequence(keyword) && (keyword.items.length === 0 || isIndex(keyword.items[0]))) return unpackAll(p, keyword.items);
    if (p.overloads?.ambiguous) throw invalidCombination(p, `${p.param}=${tpName(keyword)}, `, { keyword: p.param, text: `!${p.param}=${describe(keyword)}!, ` });
    throw pyError('TypeError', `${p.fn}(): argument '${p.param}' must be tuple of ints, not ${tpName(keyword)}`);
  }
  if (p.varargs && positional.length > 0 && isIndex(positional[0])) return unpackAll(p, positional);
  if (positional.length > 1) {
    if (p.overloads) throw invalidCombination(p, positional.map(tpName).join(', '));
    throw pyError('TypeError', `${p.fn}() takes 1 positional argument but ${positional.length} were given`);
  }
  const v = positional[0] ?? null;
  if (isSequence(v) && (v.items.length === 0 || isIndex(v.items[0]))) return unpackAll(p, v.items);
  if (p.overloads?.ambiguous) throw invalidCombination(p, tpName(v), { text: `!${describe(v)}!` });
  if (isSequence(v)) {
    throw pyError('TypeError', `${p.fn}(): argument '${p.param}' (position ${p.position}) must be tuple of ints, but found element of type ${tpName(v.items[0])} at pos 0`);
  }
  throw pyError('TypeError', `${p.fn}(): argument '${p.param}' (position ${p.position}) must be tuple of ints, not ${tpName(v)}`);
}

/** A varargs size of a Tensor method or a torch factory: f(2, 3), f((2, 3)) or f(size=(2, 3)). */
export function sizeArgs(fn: string, args: readonly PyValue[], kw: Kwargs, param = 'size', overloads?: SizeParam['overloads']): number[] {
  return parseSize({ fn, param, position: 1, varargs: true, overloads }, args, args.length === 0 ? kw.get(param) : undefined);
}

/**
 * A size that is one parameter among others (torch.full(size, fill_value),
 * torch.reshape(input, shape)): `value` as bind() found it, by name when `kw`
 * has the parameter (PyTorch's message then gives no position).
 */
export function sizeArg(fn: string, param: string, position: number, value: PyValue | undefined, kw: Kwargs): number[] {
  const p = { fn, param, position, varargs: false };
  return kw.has(param) ? parseSize(p, [], kw.get(param)) : parseSize(p, value === undefined ? [] : [value]);
}

/** The signatures torch.rand and torch.randn list when none fits (PyTorch 2.13). */
export const RANDOM_OVERLOADS: SizeParam['overloads'] = {
  ambiguous: false,
  signatures: [
    '(tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
    '(tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
  ],
};

/** Tensor.view's two signatures: view(dtype) and view(size). */
export const VIEW_OVERLOADS: SizeParam['overloads'] = { ambiguous: true, signatures: ['(torch.dtype dtype)', '(tuple of ints size)'] };
