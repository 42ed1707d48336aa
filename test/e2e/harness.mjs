// Shared by the main job (start.mjs) and the e2e tests (run.mjs): build the
// extension, package it as a .vsix, install it into code-server, and run
// code-server on a loopback port. See shared/notes/vscode-e2e.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { e2eDir, ensureE2E, repoRoot } from './setup.mjs';

export { e2eDir, repoRoot };
export const examplesDir = path.join(repoRoot, 'examples');
export const vsixPath = path.join(e2eDir, 'masklens.vsix');

export function log(msg) {
  process.stderr.write(`[e2e] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/**
 * Package the .vsix exactly as it ships: `vsce package` runs
 * vscode:prepublish (the minified production build) and packs what
 * .vscodeignore lets through (checked by test/package.mjs).
 */
export function packageVsix() {
  const t0 = Date.now();
  mkdirSync(e2eDir, { recursive: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  // As `npm run package`: the README's images are relative (no public repository to rewrite them to).
  const r = run(process.execPath, [vsce, 'package', '--no-rewrite-relative-links', '--out', vsixPath]);
  if (!r.ok) throw new Error(`vsce package failed:\n${r.out}`);
  log(`built and packaged ${path.relative(repoRoot, vsixPath)} (${statSync(vsixPath).size} bytes) in ${Date.now() - t0} ms`);
  return vsixPath;
}

/**
 * A user-data dir whose settings keep prompts and tips out of the way.
 * Workspace trust stays on and the folder is not trusted: VS Code runs in
 * Restricted Mode, as for anyone opening a repository they just cloned, and
 * Mask Lens must work there (capabilities.untrustedWorkspaces).
 */
export function prepareUserData(userDataDir, extraSettings = {}) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    // Restricted Mode without the modal "Do you trust the authors?" dialog.
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'files.hotExit': 'off',
    'window.restoreWindows': 'none',
    // sticky scroll overlays the top lines, and took clicks meant for a CodeLens there
    'editor.stickyScroll.enabled': false,
    'editor.hover.delay': 250,
    'editor.minimap.enabled': false,
    // Keep the Chat side bar and AI prompts out of the way of the inspector.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...extraSettings,
  };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

export function installExtension(paths, { userDataDir, extensionsDir }) {
  const t0 = Date.now();
  mkdirSync(extensionsDir, { recursive: true });
  const r = run(paths.node, [paths.codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force']);
  if (!r.ok || !/successfully installed|already installed/i.test(r.out)) throw new Error(`extension install failed:\n${r.out}`);
  log(`installed extension into ${path.relative(repoRoot, extensionsDir)} in ${Date.now() - t0} ms`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Start code-server in its own process group (so stop() ends it and every
 * child it spawned: extension host, file watcher) and wait until it answers.
 */
export async function startCodeServer(paths, { port, userDataDir, extensionsDir, folder, logFile, timeoutMs = 60000 }) {
  const args = [
    paths.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    folder,
  ];
  const out = [];
  const child = spawn(paths.node, args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => {
    out.push(chunk.toString());
    if (logFile) writeFileSync(logFile, out.join(''));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = () => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const killHard = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killHard);

  const url = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${out.join('')}`);
    try {
      const res = await fetch(new URL('healthz', url));
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > timeoutMs) {
      killHard();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${out.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`code-server answered on ${url} after ${Date.now() - t0} ms`);

  return {
    child,
    url,
    workbenchUrl: `${url}?folder=${encodeURIComponent(folder)}`,
    output: () => out.join(''),
    /** Stop gracefully, then hard-kill the group after a grace period. */
    async stop(graceMs = 3000) {
      stop();
      const t = Date.now();
      while (!exited && Date.now() - t < graceMs) await new Promise((r) => setTimeout(r, 100));
      killHard();
      process.removeListener('exit', killHard);
    },
  };
}

/** Everything before starting code-server: installs, build, package. */
export async function prepare() {
  const paths = ensureE2E();
  packageVsix();
  return paths;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
