// Repeated timing with order statistics, and the engine interface the
// bench's interleaved rounds time.

import { readFileSync } from 'node:fs';
import type { Checksum } from './workloads';

export interface Timing {
  median_ms: number;
  p10_ms: number;
  p90_ms: number;
  /** The first (untimed-warmup) call: includes kernel compilation, JIT, allocation. */
  first_ms: number;
  runs: number;
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(samples: readonly number[], first: number): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { median_ms: r(quantile(s, 0.5)), p10_ms: r(quantile(s, 0.1)), p90_ms: r(quantile(s, 0.9)), first_ms: r(first), runs: s.length };
}

/** One warm-up call, then `repeats` timed calls (sync or async). */
export async function measure(fn: () => unknown, repeats: number): Promise<Timing> {
  let t = performance.now();
  await fn();
  const first = performance.now() - t;
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summarize(samples, first);
}

/** One timed call. */
export interface Sample {
  ms: number;
  cpuMs?: number;
  /** Minor page faults of the process during the call. */
  faults?: number;
}

/** One engine of a workload, timed one call at a time. */
export interface Contender {
  engine: string;
  /** Untimed: build the inputs. */
  setup(): Promise<void>;
  /** One call: its milliseconds, and where known the CPU milliseconds of its process meanwhile (every thread) and its minor page faults. */
  once(): Promise<Sample>;
  checksum(): Promise<Checksum | undefined>;
  /** Fields added to the result (threads, gpu.js mode, dispatches). */
  extra?(): Record<string, unknown>;
  dispose?(): void;
}

/**
 * This process's peak resident memory in bytes: VmHWM from
 * /proc/self/status, the high-water mark of this process's own address
 * space. Not getrusage's maxRSS where /proc has it: Linux carries ru_maxrss
 * over a fork and an exec, so a child spawned by a process holding 2 GiB
 * (the bench, after its rounds) reported 2 GiB whatever it used itself.
 */
export function peakRssBytes(readStatus: () => string = () => readFileSync('/proc/self/status', 'utf8')): number {
  try {
    const kib = /^VmHWM:\s*(\d+)\s*kB/m.exec(readStatus());
    if (kib) return Number(kib[1]) * 1024;
  } catch {
    // no /proc (macOS, Windows): getrusage below
  }
  return process.resourceUsage().maxRSS * 1024;
}
