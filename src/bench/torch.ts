// PyTorch peer: one /usr/bin/python3 process runs every workload, timing
// inside Python (time.perf_counter around each call, after one warm-up)
// with torch.set_num_threads(os.cpu_count()). Inputs are rebuilt from the
// same integer formulas as workloads.ts, so checksums are comparable.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checksum, Sizes, WorkloadName } from './workloads';
import { HOVER_SNIPPETS } from './workloads';
import type { Timing } from './timing';

/** The Python with torch: MASKLENS_BENCH_PYTHON (e.g. a venv's python), else /usr/bin/python3. */
export const PYTHON = process.env.MASKLENS_BENCH_PYTHON || '/usr/bin/python3';

const SCRIPT = String.raw`
import io, json, os, sys, time, contextlib
cfg = json.loads(sys.argv[1])
import numpy as np
import torch
import torch.nn.functional as F
threads = os.cpu_count() or 1
torch.set_num_threads(threads)

def det(n, salt):
    s = (salt * 104729) % 1000
    return torch.from_numpy((((np.arange(n, dtype=np.int64) * 7919 + s) % 1000) / 100 - 5).astype(np.float32))

def summarize(samples, first):
    s = sorted(samples)
    def q(p):
        pos = (len(s) - 1) * p
        lo, hi = int(pos // 1), int(-(-pos // 1))
        return s[lo] + (s[hi] - s[lo]) * (pos - lo)
    r = lambda v: round(v * 1000, 3)
    return {'median_ms': r(q(0.5)), 'p10_ms': r(q(0.1)), 'p90_ms': r(q(0.9)), 'first_ms': r(first), 'runs': len(s)}

def measure(fn, repeats):
    t = time.perf_counter(); out = fn(); first = time.perf_counter() - t
    samples = []
    for _ in range(repeats):
        t = time.perf_counter(); out = fn(); samples.append(time.perf_counter() - t)
    return summarize(samples, first), out

def checksum(t):
    v = t.detach().reshape(-1).double()
    w = (torch.arange(v.numel(), dtype=torch.int64) % 7 + 1).double()
    fin = torch.isfinite(v)
    return {'weighted_sum': float((v[fin] * w[fin]).sum()), 'nan': int(torch.isnan(v).sum()), 'inf': int(torch.isinf(v).sum())}

def lengths(B, T):
    return [T - ((b * 37) % max(1, T >> 1)) for b in range(B)]

S = cfg['sizes']
out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': {}}
for name in cfg['workloads']:
    rep = cfg['repeats'][name]
    if name == 'combined_mask':
        B, T = S[name]['B'], S[name]['T']
        ar = torch.arange(T); lens = torch.tensor(lengths(B, T))
        def fn():
            pad = ar[None, :] < lens[:, None]
            causal = ar[:, None] >= ar[None, :]
            return pad[:, None, :] & causal[None, :, :]
    elif name == 'masked_softmax':
        B, H, T = S[name]['B'], S[name]['H'], S[name]['T']
        x = det(B * H * T * T, 1).view(B, H, T, T)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        fn = lambda: x.masked_fill(mask, float('-inf')).softmax(-1)
    elif name == 'cross_entropy_ignore':
        N, C, ig = S[name]['N'], S[name]['C'], S[name]['ignoreIndex']
        logits = det(N * C, 2).view(N, C)
        tg = torch.tensor([ig if i % 5 == 4 else (i * 31) % C for i in range(N)])
        fn = lambda: F.cross_entropy(logits, tg, ignore_index=ig)
    elif name == 'qk_matmul':
        B, H, T, D = S[name]['B'], S[name]['H'], S[name]['T'], S[name]['D']
        q = det(B * H * T * D, 3).view(B, H, T, D); kt = det(B * H * D * T, 4).view(B, H, D, T)
        fn = lambda: q @ kt
    elif name == 'hover_eval':
        snippets = cfg['snippets']
        def fn():
            for src in snippets:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(src, '<snippet>', 'exec'), {'__name__': '__main__'})
            return torch.zeros(1)
    timing, result = measure(fn, rep)
    entry = dict(timing)
    if name != 'hover_eval':
        entry['checksum'] = checksum(result)
    out['results'][name] = entry
    del fn, result
print(json.dumps(out))
`;

export interface TorchReport {
  torch: string;
  threads: number;
  results: Partial<Record<WorkloadName, Timing & { checksum?: Checksum }>>;
}

export function runTorch(
  workloads: readonly WorkloadName[],
  sizes: Sizes,
  repeats: Record<WorkloadName, number>,
): TorchReport | { unavailable: string } {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: `import torch failed: ${(probe.stderr || '').trim().split('\n').pop()}` };
  const cfg = { workloads, sizes, repeats, snippets: Object.values(HOVER_SNIPPETS) };
  const r = spawnSync(PYTHON, ['-c', SCRIPT, JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 30 * 60_000 });
  if (r.status !== 0) return { unavailable: `python exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as TorchReport;
  } catch {
    return { unavailable: `unreadable python output: ${r.stdout.slice(0, 200)}` };
  }
}

/**
 * torch.exp of float32 `x` (contiguous, one thread) in the Python peer, for
 * the bench's bit-identical exp share. The values cross as raw float32 files.
 */
export function torchExp(x: Float32Array): Float32Array | { unavailable: string } {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const dir = mkdtempSync(join(tmpdir(), 'masklens-exp-'));
  try {
    writeFileSync(join(dir, 'x.f32'), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    const code = 'import sys, numpy as np, torch\ntorch.set_num_threads(1)\nx = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.float32))\ntorch.exp(x).numpy().tofile(sys.argv[2])';
    const r = spawnSync(PYTHON, ['-c', code, join(dir, 'x.f32'), join(dir, 'y.f32')], { encoding: 'utf8' });
    if (r.status !== 0) return { unavailable: `python exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}` };
    const b = readFileSync(join(dir, 'y.f32'));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
