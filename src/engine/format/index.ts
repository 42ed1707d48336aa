// Exact Python / PyTorch / NumPy / TensorFlow text for numbers and tensors.

export { formatPyFloat, formatPyFloatStr, formatSpec, percentFormat, pyFixed, pyExp } from './pyfloat';
export type { PercentArg } from './pyfloat';
export {
  formatTorchTensor, formatTorchSparseCoo, setPrintOptions, pyTupleStr, DEFAULT_PRINT_OPTIONS,
} from './torch';
export type { PrintOptions, PrintProfile, TorchFormatOptions } from './torch';
export {
  formatNumpyArray, formatNumpyScalar, formatNumpyScalarRepr, numpyDtypeName, DEFAULT_NUMPY_PRINT_OPTIONS,
  formatFloatPositional, formatFloatScientific,
} from './numpy';
export type { NumpyPrintOptions, FloatMode, FormatFloatOptions } from './numpy';
export { formatTfTensor, formatTfTensorRepr } from './tf';
export { dragon4, shortest, FLOAT64, FLOAT32, FLOAT16, BFLOAT16 } from './dragon4';
export type { BinaryFormat, Digits, Dragon4Options } from './dragon4';
