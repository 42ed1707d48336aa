// Modules esbuild provides as text. .py files: loader '.py': 'text' in scripts/build.mjs.
declare module '*.py' {
  const text: string;
  export default text;
}
