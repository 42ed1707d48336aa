// The browser peer's engine names (browser_page.ts runs them; bench.ts
// reports each, as unavailable when Chromium is not there). Key names in
// the JSON report: new rows beside the Node engines', never renamed.

export const BROWSER_ENGINES = ['ours-gpu (chromium)', 'tfjs-webgl (chromium)', 'tfjs-wasm (chromium)'] as const;
export type BrowserEngine = (typeof BROWSER_ENGINES)[number];
