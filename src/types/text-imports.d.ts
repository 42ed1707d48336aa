// Modules esbuild provides as text. .py files: loader '.py': 'text' in scripts/build.mjs.
declare module '*.py' {
  const text: string;
  export default text;
}

// The web evaluation worker's bundled source (scripts/build.mjs: webWorkerSource).
declare module 'masklens:web-worker-source' {
  const source: string;
  export default source;
}
