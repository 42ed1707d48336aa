// The bench's browser peer: one headless Chromium page (scripts/chromium.mjs,
// shared with `npm run test:browser`) running the workloads on our gpu.js
// WebGL2 backend, tfjs-webgl and tfjs-wasm (browser_page.ts). Each engine of
// the page is a Contender in the bench's interleaved rounds, like the Node
// engines and PyTorch; each call is timed in the page (performance.now()
// around the call and its read-back), so a figure leaves out the
// page.evaluate round trip. No CPU time or page faults are reported for
// these rows (the page is other processes).
//
// Without a GPU (or with MASKLENS_BROWSER_SWIFTSHADER unset) the GL engines
// run on SwiftShader, Chromium's CPU rasterizer: each result carries its
// renderer, and software_renderer says whether it is one.

import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bundlePage, chromiumArgs, launchChromium, servePage, withTimeout } from '../../scripts/chromium.mjs';
import type { BrowserEngine } from './browser_engines';
import type { BenchPage, EngineInfo, PageInfo } from './browser_page';
import type { Contender } from './timing';
import type { Sizes, WorkloadName } from './workloads';

/** The longest a page call (setup, one timed call, checksum) may take: a wedged GL context becomes an error, not a hang. */
const CALL_TIMEOUT_MS = 180_000;

/** The software rasterizers Chromium falls back to (the same names select.ts refuses). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe/i;

export interface BrowserPeer {
  /** Chromium's version, flags, the page's isolation, and each engine's renderer and versions. */
  info: Record<string, unknown>;
  /** The page's engines, usable or not (with `unavailable`). */
  engines: EngineInfo[];
  /** A contender running `engine` on workload `name` in the page. */
  contender(engine: BrowserEngine, name: Exclude<WorkloadName, 'hover_eval'>, sizes: Sizes): Contender;
  close(): Promise<void>;
}

type PageGlobal = { maskLensBenchPage: BenchPage };

/**
 * Bundle browser_page.ts, serve it (cross-origin isolated, with
 * tfjs-backend-wasm's .wasm files), open it in headless Chromium and
 * initialize its engines. `repoRoot` holds node_modules and the built wasm
 * kernels. Resolves to { unavailable: why } when Chromium, esbuild or
 * playwright-core is missing or the page does not load.
 */
export async function startBrowser(repoRoot: string, options: { tfjs: boolean }): Promise<BrowserPeer | { unavailable: string }> {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof servePage>> | undefined;
  try {
    const { js } = await bundlePage(repoRoot, 'src/bench/browser_page.ts', { optional: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-wasm'] });
    const wasmDir = path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const files = Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [`/tfjs-wasm/${f}`, path.join(wasmDir, f)]));
    server = await servePage({ title: 'Mask Lens bench', js, files, isolated: true });
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e).split('\n')[0]));
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    const loaded = await page.evaluate(() => typeof (globalThis as unknown as PageGlobal).maskLensBenchPage);
    if (loaded !== 'object') throw new Error(`the page did not load the bench bundle: ${pageErrors.join('; ') || 'no error reported'}`);
    const pageInfo: PageInfo = await withTimeout(page.evaluate((o) => (globalThis as unknown as PageGlobal).maskLensBenchPage.init(o), options), CALL_TIMEOUT_MS, 'the page init');
    const engines = pageInfo.engines.map((e) => (typeof e.renderer === 'string' ? { ...e, software_renderer: SOFTWARE_RENDERER.test(e.renderer) } : e));
    const call = <T>(what: string, f: () => Promise<T>): Promise<T> => {
      if (crashed) return Promise.reject(new Error('the Chromium page crashed (out of memory?)'));
      return withTimeout(f(), CALL_TIMEOUT_MS, what);
    };
    const b = browser, s = server;
    return {
      info: { chromium: browser.version(), args: chromiumArgs, user_agent: pageInfo.userAgent, cross_origin_isolated: pageInfo.crossOriginIsolated, hardware_concurrency: pageInfo.hardwareConcurrency, page_errors: pageErrors },
      engines,
      contender(engine, name, sizes) {
        const { engine: _, ...extra }: Record<string, unknown> = engines.find((e) => e.engine === engine) ?? {};
        let dispatchesBefore = 0;
        return {
          engine,
          async setup() {
            dispatchesBefore = await call(`${engine} dispatches`, () => page.evaluate(() => (globalThis as unknown as PageGlobal).maskLensBenchPage.dispatches()));
            await call(`${engine} setup`, () => page.evaluate(([e, n, sz]) => (globalThis as unknown as PageGlobal).maskLensBenchPage.setup(e, n, sz), [engine, name, sizes] as const));
          },
          async once() {
            return { ms: await call(`${engine} call`, () => page.evaluate((e) => (globalThis as unknown as PageGlobal).maskLensBenchPage.once(e), engine)) };
          },
          async checksum() {
            const sum = await call(`${engine} checksum`, () => page.evaluate((e) => (globalThis as unknown as PageGlobal).maskLensBenchPage.checksum(e), engine));
            if (engine === 'ours-gpu (chromium)') extra.dispatches = (await page.evaluate(() => (globalThis as unknown as PageGlobal).maskLensBenchPage.dispatches())) - dispatchesBefore;
            return sum;
          },
          extra: () => ({ ...extra, timing: 'in the page (performance.now() around the call and its read-back), interleaved with the Node engines' }),
          dispose() {
            if (!crashed) void page.evaluate((e) => (globalThis as unknown as PageGlobal).maskLensBenchPage.dispose(e), engine).catch(() => undefined);
          },
        };
      },
      async close() {
        await b.close();
        s.close();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    server?.close();
    return { unavailable: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
