// The engine's public surface for hosts (extension, CLI, bench).
export { setBackendPreference, activeBackendName, DEFAULT_GPU_THRESHOLD } from './kernels/select';
export type { BackendPreference } from './kernels/select';
export { Tensor } from './tensor';
export type { DType } from './dtype';
