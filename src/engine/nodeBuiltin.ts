// Node's builtin modules without a static import: the evaluation worker's
// bundle (dist/worker.js) also runs as a browser Web Worker, where an
// import of node:* at the top of the bundle would throw before anything ran.

/**
 * Node's builtin module `id` ('node:v8', 'node:worker_threads', ...), or
 * null outside Node (browsers, web workers) or when it cannot be loaded.
 */
export function nodeBuiltin<T = unknown>(id: string): T | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.versions?.node) return null;
  try {
    // getBuiltinModule (Node >= 20.16) needs no bundler help; older Node (VS Code's Electron) has require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (proc.getBuiltinModule ? proc.getBuiltinModule(id) : require(id)) as T;
  } catch {
    return null;
  }
}
