// complex64 tensors, as far as rotary position embeddings use them
// (llama, mistral, gpt-fast): torch.polar builds the cis table,
// view_as_complex pairs the last dim, a complex product rotates, and
// view_as_real / .real / .imag come back to float tensors. The real and
// imaginary parts are two float32 tensors of the same shape; the product
// is (ac − bd) + (ad + bc)i in float32, as ATen's complex multiply.
// Printing a complex tensor and other complex ops stay unsupported.

import { runtimeError } from '../../engine/errors';
import { binary, cast, unary } from '../../engine/ops/core';
import { getItem } from '../../engine/ops/indexing';
import { reshape, select, stack, view } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, NativeFn, PyBuiltin, PyClass, PyObj, PyValue } from '../../python/values';
import { TORCH_STATE, TorchTensor, indexItems, tensorArg, torchSize, torchTensorClass, track } from './tensor';
import { getSlot } from '../../engine/context';

const unsupported = (what: string) => pyError('NotImplementedError', `${what} on complex tensors is not supported by Mask Lens yet`);

/** A complex64 tensor held as its real and imaginary float32 parts. */
export class ComplexTensor extends PyObj {
  constructor(readonly re: Tensor, readonly im: Tensor, readonly requiresGrad = false) {
    super();
  }
  get typeName() {
    return 'Tensor';
  }
  /** type(z) is torch.Tensor, as for a real tensor. */
  pyType(): PyClass | undefined {
    return torchTensorClass();
  }
  private method(name: string, f: NativeFn): PyBuiltin {
    return new PyBuiltin(name, f, `Tensor.${name}`);
  }
  override getAttr(name: string): PyValue | undefined {
    const shaped = (f: (t: Tensor) => Tensor) => new ComplexTensor(f(this.re), f(this.im), this.requiresGrad);
    switch (name) {
      case 'real': return new TorchTensor(this.re);
      case 'imag': return new TorchTensor(this.im);
      case 'shape': return torchSize(this.re.shape);
      case 'ndim': return BigInt(this.re.ndim);
      case 'size': return this.method('size', ([d]) => (d === undefined ? torchSize(this.re.shape) : BigInt(this.re.shape[Number(d) < 0 ? Number(d) + this.re.ndim : Number(d)])));
      case 'dim': return this.method('dim', () => BigInt(this.re.ndim));
      case 'is_complex': return this.method('is_complex', () => true);
      case 'requires_grad': return this.requiresGrad;
      case 'view': return this.method('view', (args, kw) => {
        const shape = toShape(args.length ? args : [kw.get('size')!], 'view');
        return shaped((t) => view(t, shape));
      });
      case 'reshape': return this.method('reshape', (args) => shaped((t) => reshape(t, toShape(args, 'reshape'))));
      case 'to': case 'cuda': case 'cpu': case 'contiguous': case 'detach': case 'clone':
        return this.method(name, () => this);
      case 'numel': return this.method('numel', () => BigInt(this.re.numel));
    }
    return undefined;
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue {
    const items = indexItems(key, ctx);
    return new ComplexTensor(getItem(this.re, items), getItem(this.im, items), this.requiresGrad);
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    if (op !== '*' && op !== '*=') throw unsupported(`operator ${op}`);
    const o = other instanceof ComplexTensor ? other : other instanceof TorchTensor ? new ComplexTensor(other.t, binary('mul', other.t, 0), other.requiresGrad) : undefined;
    if (!o) return undefined;
    const [a, b] = reflected ? [o, this] : [this, o];
    return complexMul(a, b);
  }
  override repr(): string {
    throw unsupported('printing');
  }
}

/** (a + bi)(c + di) = (ac − bd) + (ad + bc)i, broadcasting like any elementwise op. */
function complexMul(x: ComplexTensor, y: ComplexTensor): ComplexTensor {
  const re = binary('sub', binary('mul', x.re, y.re), binary('mul', x.im, y.im));
  const im = binary('add', binary('mul', x.re, y.im), binary('mul', x.im, y.re));
  return new ComplexTensor(re, im, x.requiresGrad || y.requiresGrad);
}

/** torch.polar, torch.view_as_complex and torch.view_as_real, keyed by name. */
export function complexFunctions(): Record<string, NativeFn> {
  return {
    // polar(abs, angle) = abs·cos(angle) + abs·sin(angle)i
    polar: (args, kw) => {
      const a = bind('polar', args, kw, ['abs', 'angle', 'out?']);
      const r = tensorArg(a.abs, 'polar', 'abs'), th = tensorArg(a.angle, 'polar', 'angle');
      if (r.dtype !== th.dtype) throw runtimeError(`Expected object of scalar type ${r.dtype} but got scalar type ${th.dtype} for second argument`);
      if (r.dtype !== 'float32' && r.dtype !== 'float64') throw runtimeError('polar: Expected both inputs to be Half, Float or Double tensors but got Long and Long');
      return new ComplexTensor(binary('mul', r, unary('cos', th)), binary('mul', r, unary('sin', th)));
    },
    view_as_complex: (args, kw) => {
      const a = bind('view_as_complex', args, kw, ['input']);
      const x = tensorArg(a.input, 'view_as_complex');
      if (x.shape[x.ndim - 1] !== 2) throw runtimeError('Tensor must have a last dimension of size 2');
      if (x.dtype !== 'float32' && x.dtype !== 'float64') throw runtimeError('view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: ' + x.dtype);
      // autograd follows a rotary table through the complex view (view_as_real(...) then has a grad_fn)
      const grad = a.input instanceof TorchTensor && a.input.requiresGrad && getSlot(TORCH_STATE).gradEnabled;
      return new ComplexTensor(select(x, -1, 0), select(x, -1, 1), grad);
    },
    view_as_real: (args, kw) => {
      const a = bind('view_as_real', args, kw, ['input']);
      if (!(a.input instanceof ComplexTensor)) throw runtimeError('view_as_real is only supported for complex tensors');
      return track(new TorchTensor(stack([cast(a.input.re, a.input.re.dtype), cast(a.input.im, a.input.im.dtype)], -1)), 'view_as_real', a.input);
    },
  };
}
