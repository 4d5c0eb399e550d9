// The activation bench's control: an extension whose activate() is empty, packaged with vsce and
// installed into code-server the same way as CoW Lab, with the same activation events and the
// `cow` language (so opening a .cow file activates it), in a build of its own for each host
// (`main` for the desktop's Node extension host, only `browser` for the web worker host). Its
// figure is what VS Code itself costs to activate an extension here; CoW Lab's figure minus the
// control's is ours. Built in a temporary folder for the bench run only; never shipped.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONTROL_NAME = 'Activation Control';

interface Manifest {
  readonly publisher: string;
  readonly engines: Record<string, string>;
  readonly activationEvents: readonly string[];
  readonly repository?: unknown;
}

/**
 * `api`: requires `vscode` while it loads, as every extension that uses the API does (the host
 * builds the API object for it then); `bare`: requires nothing. activate() does nothing in either.
 */
export type ControlKind = 'api' | 'bare';

/** The control's display name, as its row in Running Extensions shows it. */
export const controlName = (kind: ControlKind): string => `${CONTROL_NAME} (${kind})`;

function controlSource(kind: ControlKind): string {
  const api = kind === 'api';
  return `'use strict';
${api ? "const vscode = require('vscode');\n" : ''}exports.activate = function activate(context) {
${api ? '  void vscode;\n' : ''}  void context;
};
exports.deactivate = function deactivate() {};
`;
}

/**
 * Packages the control of `kind` into `out` (a .vsix) for `host`; `folder` is a scratch folder it may fill.
 * Resolves with `out`.
 */
export async function packageControl(root: string, folder: string, host: 'desktop' | 'browser', kind: ControlKind, out: string): Promise<string> {
  const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const stage = join(folder, `control-${host}-${kind}`);
  mkdirSync(stage, { recursive: true });
  const manifest = {
    name: `cow-lab-activation-control-${kind}`,
    displayName: controlName(kind),
    description: 'The activation bench control: an empty activate() (never shipped).',
    version: '0.0.1',
    license: 'MIT',
    publisher: ours.publisher,
    engines: { vscode: ours.engines.vscode },
    repository: ours.repository,
    activationEvents: ours.activationEvents,
    files: ['extension.js', 'LICENSE'],
    contributes: { languages: [{ id: 'cow', extensions: ['.cow'] }] },
    ...(host === 'desktop' ? { main: './extension.js' } : { browser: './extension.js' }),
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(stage, 'extension.js'), controlSource(kind));
  writeFileSync(join(stage, 'LICENSE'), 'MIT\n');
  const { run } = (await import(pathToFileURL(join(root, 'scripts', 'vscode', 'processes.mjs')).href)) as { run(c: string, a: string[], o: object): Promise<void> };
  await run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], {
    cwd: stage,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}
