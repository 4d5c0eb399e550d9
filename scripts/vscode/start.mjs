// `npm start`: try CoW Lab in a real VS Code without installing one. Packages the extension,
// starts code-server on 127.0.0.1 with the .vsix installed and the samples folder open, prints the
// URL to open in a browser; Ctrl-C stops everything.
// Usage: npm start -- [--port N] [--folder PATH]
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './codeServer.mjs';
import { readManifest, repoRoot } from './config.mjs';
import { packageExtension } from './package.mjs';
import { provision } from './provision.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    folder: { type: 'string', default: resolve(repoRoot, 'samples') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm start -- [--port N] [--folder PATH]   (defaults: 8080, samples/)');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a port number, got ${values.port}`);
  process.exit(2);
}
const folder = resolve(values.folder);
if (!existsSync(folder)) mkdirSync(folder, { recursive: true });

await provision();
const vsix = await packageExtension();

// A walkthrough cannot be opened from outside the workbench (VS Code auto-opens one only for an
// extension installed during the session); the Welcome page lists it first thing instead.
const walkthroughs = readManifest().contributes?.walkthroughs ?? [];
const settings = walkthroughs.length > 0 ? { 'workbench.startupEditor': 'welcomePage' } : {};

let server;
try {
  server = await startCodeServer({ port, folder, installExtensions: [vsix], settings });
} catch (error) {
  console.error(`start: ${error.message}`);
  process.exit(1);
}
const url = `${server.url}?folder=${encodeURIComponent(folder)}`;
console.log(`\nCoW Lab is running in VS Code at\n\n    ${url}\n`);
console.log(`  folder: ${folder}`);
if (walkthroughs.length > 0) {
  console.log(`  walkthrough: on the Welcome page, or F1 → "Welcome: Open Walkthrough..." → ${walkthroughs[0].title ?? walkthroughs[0].id}`);
}
console.log(`  server log: ${server.logFile}`);
console.log('  Ctrl-C stops the server.\n');

// Ctrl-C: processes.mjs stops the server's group and removes its temp folder, then exits.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    interrupted = true;
    console.log('\nstopping…');
  });
}
const { code, signal } = await server.exited;
if (!interrupted) {
  console.error(`code-server stopped by itself (${signal ?? code}); last lines:\n${server.tail()}`);
  await server.stop();
  process.exit(1);
}
