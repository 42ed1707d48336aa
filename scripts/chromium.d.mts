// Types of scripts/chromium.mjs for the TypeScript that imports it (src/bench/browser.ts).
import type http from 'node:http';
import type { Browser } from 'playwright-core';

export const chromiumPath: string;
export const swiftshader: boolean;
export const extraArgs: string[];
export const chromiumArgs: string[];
export function bundlePage(repoRoot: string, entry: string, options?: { optional?: string[] }): Promise<{ js: string; missing: string[] }>;
export function servePage(options: { title: string; js: string; files?: Record<string, string>; isolated?: boolean }): Promise<http.Server>;
export function launchChromium(): Promise<Browser>;
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
