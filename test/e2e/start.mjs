// The main job (`npm start`): build and package the extension, install it
// into a project-local code-server (a real VS Code in the browser), start it
// with examples/ open, print the URL, and keep running until interrupted.
import path from 'node:path';
import { e2eDir, examplesDir, installExtension, log, portIsFree, freePort, prepare, prepareUserData, startCodeServer } from './harness.mjs';

const userDataDir = path.join(e2eDir, 'user-data');
const extensionsDir = path.join(e2eDir, 'extensions');

async function main() {
  const paths = await prepare();
  prepareUserData(userDataDir);
  installExtension(paths, { userDataDir, extensionsDir });
  const wanted = Number(process.env.PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer(paths, { port, userDataDir, extensionsDir, folder: examplesDir, logFile: path.join(e2eDir, 'code-server.log') });
  process.stdout.write(`\nMask Lens is running in VS Code (code-server): ${server.workbenchUrl}\n` +
    'Open a file from examples/, then F1 → "Mask Lens: Preview Masks", or hover a variable.\n' +
    `code-server log: ${path.join(e2eDir, 'code-server.log')}. Ctrl+C stops it.\n`);

  const shutdown = async (signal) => {
    log(`${signal}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  server.child.on('exit', (code, signal) => {
    log(`code-server exited (code ${code}, signal ${signal})`);
    process.exit(code ?? 1);
  });
}

main().catch((err) => {
  log(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
