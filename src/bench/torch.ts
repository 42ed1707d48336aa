// PyTorch peer: one persistent Python process (MASKLENS_BENCH_PYTHON, else
// /usr/bin/python3) with torch.set_num_threads(os.cpu_count()), driven over
// stdin/stdout one JSON line at a time, so the bench can time PyTorch's
// repetitions between its own (interleaved, under the same load) instead
// of in one batch at the end. Python times each call itself
// (time.perf_counter around the call). Inputs are rebuilt from the same
// integer formulas as workloads.ts, so checksums are comparable.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checksum, Sizes, WorkloadName } from './workloads';
import { HOVER_SNIPPETS } from './workloads';

/** The Python with torch: MASKLENS_BENCH_PYTHON (e.g. a venv's python), else /usr/bin/python3. */
export const PYTHON = process.env.MASKLENS_BENCH_PYTHON || '/usr/bin/python3';

const SCRIPT = String.raw`
import io, json, os, resource, sys, time, contextlib
import numpy as np
import torch
import torch.nn.functional as F
threads = os.cpu_count() or 1
torch.set_num_threads(threads)

def det(n, salt):
    s = (salt * 104729) % 1000
    return torch.from_numpy((((np.arange(n, dtype=np.int64) * 7919 + s) % 1000) / 100 - 5).astype(np.float32))

def checksum(t):
    v = t.detach().reshape(-1).double()
    w = (torch.arange(v.numel(), dtype=torch.int64) % 7 + 1).double()
    fin = torch.isfinite(v)
    return {'weighted_sum': float((v[fin] * w[fin]).sum()), 'nan': int(torch.isnan(v).sum()), 'inf': int(torch.isinf(v).sum())}

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

def lengths(B, T):
    return [T - ((b * 37) % max(1, T >> 1)) for b in range(B)]

def setup(name, S, snippets):
    if name == 'combined_mask':
        B, T = S['B'], S['T']
        ar = torch.arange(T); lens = torch.tensor(lengths(B, T))
        def fn():
            pad = ar[None, :] < lens[:, None]
            causal = ar[:, None] >= ar[None, :]
            return pad[:, None, :] & causal[None, :, :]
        return fn
    if name == 'masked_softmax':
        B, H, T = S['B'], S['H'], S['T']
        x = det(B * H * T * T, 1).view(B, H, T, T)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        return lambda: x.masked_fill(mask, float('-inf')).softmax(-1)
    if name == 'cross_entropy_ignore':
        N, C, ig = S['N'], S['C'], S['ignoreIndex']
        logits = det(N * C, 2).view(N, C)
        tg = torch.tensor([ig if i % 5 == 4 else (i * 31) % C for i in range(N)])
        return lambda: F.cross_entropy(logits, tg, ignore_index=ig)
    if name == 'qk_matmul':
        B, H, T, D = S['B'], S['H'], S['T'], S['D']
        q = det(B * H * T * D, 3).view(B, H, T, D); kt = det(B * H * D * T, 4).view(B, H, D, T)
        return lambda: q @ kt
    if name == 'hover_eval':
        def fn():
            for src in snippets:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(src, '<snippet>', 'exec'), {'__name__': '__main__'})
            return torch.zeros(1)
        return fn
    raise ValueError(name)

out = sys.stdout
sys.stdout = sys.stderr  # only protocol lines on the real stdout
def reply(obj):
    out.write(json.dumps(obj) + '\n'); out.flush()

reply({'torch': torch.__version__, 'threads': torch.get_num_threads()})
fn = None; result = None
for line in sys.stdin:
    msg = json.loads(line)
    cmd = msg['cmd']
    try:
        if cmd == 'setup':
            fn = None; result = None
            fn = setup(msg['name'], msg['sizes'], msg.get('snippets', []))
            reply({'ok': True})
        elif cmd == 'run':
            result = None
            c = time.process_time(); f = faults(); t = time.perf_counter(); result = fn(); ms = (time.perf_counter() - t) * 1000
            reply({'ms': ms, 'cpu_ms': (time.process_time() - c) * 1000, 'faults': faults() - f})
        elif cmd == 'alone':
            # Steady state: warm-up calls, then n calls back to back, each
            # timed alone (the previous result dropped first, as in 'run').
            # threads: this many for the loop (then back to the peer's own).
            calls = []
            torch.set_num_threads(msg.get('threads') or threads)
            for i in range(msg['warmup'] + msg['n']):
                result = None
                c = time.process_time(); f = faults(); t = time.perf_counter(); result = fn(); ms = (time.perf_counter() - t) * 1000
                calls.append({'ms': ms, 'cpu_ms': (time.process_time() - c) * 1000, 'faults': faults() - f})
            torch.set_num_threads(threads)
            reply({'calls': calls})
        elif cmd == 'checksum':
            reply({'checksum': checksum(result)})
        elif cmd == 'exit':
            break
    except Exception as e:
        reply({'error': type(e).__name__ + ': ' + str(e).split('\n')[0]})
`;

/** A persistent PyTorch process: set up one workload at a time, then time single calls of it. */
export interface TorchPeer {
  torch: string;
  threads: number;
  /** Build the workload's inputs (untimed). */
  setup(name: WorkloadName, sizes: Sizes): Promise<void>;
  /**
   * One call of the workload: the milliseconds Python measured around it,
   * the CPU milliseconds of the whole process (every thread) meanwhile,
   * and its minor page faults.
   */
  run(): Promise<{ ms: number; cpuMs: number; faults: number }>;
  /** Checksum of the last call's result. */
  checksum(): Promise<Checksum>;
  /**
   * PyTorch undisturbed: `warmup` calls, then `n` calls of the workload in
   * a tight loop in the peer (nothing of ours runs in between), on
   * `threads` threads (default: the peer's); each call as run() gives it,
   * the warm-up calls first.
   */
  alone(n: number, warmup: number, threads?: number): Promise<{ ms: number; cpuMs: number; faults: number }[]>;
  close(): void;
}

/** Start the PyTorch peer, or say why it is unavailable. */
export async function startTorch(): Promise<TorchPeer | { unavailable: string }> {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: `import torch failed: ${(probe.stderr || '').trim().split('\n').pop()}` };
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, ['-u', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buf = '';
  let stderr = '';
  const waiting: ((line: string | null) => void)[] = [];
  const lines: string[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => { stderr = (stderr + d).slice(-2000); });
  child.on('exit', () => { for (const w of waiting.splice(0)) w(null); });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const take = (line: string | null) => {
        if (line === null) return reject(new Error(`python exited: ${stderr.trim().split('\n').slice(-2).join(' | ')}`));
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (typeof msg.error === 'string') reject(new Error(msg.error));
        else resolve(msg);
      };
      const l = lines.shift();
      if (l !== undefined) take(l);
      else if (child.exitCode !== null) take(null);
      else waiting.push(take);
    });
  const send = (msg: object) => {
    child.stdin.write(JSON.stringify(msg) + '\n');
    return next();
  };
  try {
    const hello = await next();
    return {
      torch: String(hello.torch),
      threads: Number(hello.threads),
      async setup(name, sizes) {
        await send({ cmd: 'setup', name, sizes: name === 'hover_eval' ? {} : sizes[name], snippets: Object.values(HOVER_SNIPPETS) });
      },
      async run() {
        const r = await send({ cmd: 'run' });
        return { ms: Number(r.ms), cpuMs: Number(r.cpu_ms), faults: Number(r.faults) };
      },
      async checksum() {
        return (await send({ cmd: 'checksum' })).checksum as Checksum;
      },
      async alone(n, warmup, threads) {
        const r = await send({ cmd: 'alone', n, warmup, threads });
        return (r.calls as { ms: number; cpu_ms: number; faults: number }[]).map((c) => ({ ms: c.ms, cpuMs: c.cpu_ms, faults: c.faults }));
      },
      close() {
        child.stdin.end(JSON.stringify({ cmd: 'exit' }) + '\n');
      },
    };
  } catch (e) {
    child.kill();
    return { unavailable: e instanceof Error ? e.message : String(e) };
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

/**
 * The Python peer's float32 torch.softmax and torch.log_softmax of `x`
 * [rows, cols] over the last dim, and F.cross_entropy(reduction='none') of
 * `logits` [n, classes] with int32 `target` (-100 ignored), one thread, for
 * the bench's bit-identical softmax shares. Raw float32/int32 files cross.
 */
export function torchSoftmaxFamily(
  x: Float32Array, rows: number, cols: number,
  logits: Float32Array, target: Int32Array, classes: number,
): { softmax: Float32Array; log_softmax: Float32Array; cross_entropy: Float32Array } | { unavailable: string } {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const dir = mkdtempSync(join(tmpdir(), 'masklens-softmax-'));
  const put = (name: string, a: Float32Array | Int32Array) => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const get = (name: string) => {
    const b = readFileSync(join(dir, name));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  try {
    put('x.f32', x);
    put('logits.f32', logits);
    put('target.i32', target);
    const code = String.raw`
import sys, numpy as np, torch
import torch.nn.functional as F
torch.set_num_threads(1)
d, rows, cols, classes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = torch.from_numpy(np.fromfile(d + '/x.f32', dtype=np.float32)).view(rows, cols)
torch.softmax(x, -1).numpy().tofile(d + '/softmax.f32')
torch.log_softmax(x, -1).numpy().tofile(d + '/log_softmax.f32')
logits = torch.from_numpy(np.fromfile(d + '/logits.f32', dtype=np.float32)).view(-1, classes)
target = torch.from_numpy(np.fromfile(d + '/target.i32', dtype=np.int32)).long()
F.cross_entropy(logits, target, reduction='none').numpy().tofile(d + '/cross_entropy.f32')
`;
    const r = spawnSync(PYTHON, ['-c', code, dir, String(rows), String(cols), String(classes)], { encoding: 'utf8' });
    if (r.status !== 0) return { unavailable: `python exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}` };
    return { softmax: get('softmax.f32'), log_softmax: get('log_softmax.f32'), cross_entropy: get('cross_entropy.f32') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PyTorch's peak RSS for `torch.softmax(scores.masked_fill(mask, -inf), -1)`
 * as users write it (a fresh masked copy, then a fresh output), in its own
 * Python process: scores [B, H, T, T] float32 and a causal bool mask [T, T]
 * are built first (in slices, so building them leaves no larger peak), then
 * `ratio_op` = (peak RSS - RSS with the inputs in place) / the scores' bytes.
 */
export function torchPeakRss({ B, H, T }: Sizes['masked_softmax']): Record<string, unknown> {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const code = String.raw`
import json, os, re, resource, sys
import numpy as np, torch
B, H, T = (int(v) for v in sys.argv[1:4])
torch.set_num_threads(os.cpu_count() or 1)
rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
before = rss()
scores = torch.empty(B, H, T, T)
flat, step = scores.view(-1), T * T
for i in range(0, flat.numel(), step):
    flat[i:i + step] = torch.from_numpy((((np.arange(i, i + step, dtype=np.int64) * 7919 + 104729 % 1000) % 1000) / 100 - 5).astype(np.float32))
mask = torch.ones(T, T, dtype=torch.bool).triu(1)
inputs = rss()
out = torch.softmax(scores.masked_fill(mask, float('-inf')), -1)
# VmHWM: this process's own high-water mark (ru_maxrss carries the parent's over fork + exec)
try:
    peak = int(re.search(r'^VmHWM:\s*(\d+)\s*kB', open('/proc/self/status').read(), re.M).group(1)) * 1024
except (OSError, AttributeError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
n = scores.numel() * 4
print(json.dumps({'engine': 'torch', 'threads': torch.get_num_threads(), 'tensor_mib': n >> 20, 'rss_before_mib': before >> 20, 'rss_inputs_mib': inputs >> 20, 'rss_peak_mib': peak >> 20, 'ratio_to_tensor_bytes': round((peak - before) / n, 3), 'ratio_op': round((peak - inputs) / n, 3)}))
`;
  const r = spawnSync(PYTHON, ['-c', code, String(B), String(H), String(T)], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0) return { unavailable: `python exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    return { unavailable: 'python printed no result' };
  }
}
