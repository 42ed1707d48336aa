// The heavy half of the extension: the interpreter, the frameworks, the
// tensor engine and the parser. The desktop host bundle does not contain it:
// scripts/build.mjs builds this file as dist/evaluator.js, and
// evaluatorLoader.ts requires it on the first evaluation, so activation
// only loads the VS Code glue. (The web bundle inlines it.)
export { evaluate } from '../python/index';
export { setBackendPreference } from '../engine/kernels/select';
