// The bundled CLI (dist/cli.js) for VS Code's terminals, with no dependency on the learner's PATH:
// - `cow-lab …` typed into any VS Code terminal works as the exercise headers and messages print
//   it: a two-line launcher in the extension's storage runs dist/cli.js with the extension host's
//   own Node, and the environment variable collection puts its folder first on those terminals'
//   PATH (VS Code applies it to every terminal it starts; open ones offer to relaunch).
// - cliCommand() gives the same program and arguments for running the CLI directly (a
//   pseudoterminal), without a shell.
import { chmod } from 'node:fs/promises';
import * as vscode from 'vscode';

export interface CliCommand {
  /** The executable: the Node that runs the extension host. */
  readonly program: string;
  /** dist/cli.js first, then the CLI's own arguments. */
  readonly args: readonly string[];
  /** ELECTRON_RUN_AS_NODE: a desktop extension host is Electron, which then acts as plain Node. */
  readonly env: Readonly<Record<string, string>>;
}

export function cliScript(extensionUri: vscode.Uri): string {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
}

export function cliCommand(extensionUri: vscode.Uri, args: readonly string[]): CliCommand {
  return { program: process.execPath, args: [cliScript(extensionUri), ...args], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/** POSIX shell single quotes. */
export function shellQuote(text: string): string {
  return /^[\w./=:@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The launcher's text for this platform (a POSIX shell script, or a .cmd file on Windows). */
export function launcherText(node: string, cli: string, windows: boolean): string {
  if (windows) return `@echo off\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${node}" "${cli}" %*\r\n`;
  return `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec ${shellQuote(node)} ${shellQuote(cli)} "$@"\n`;
}

/** Writes the launcher and puts its folder on the PATH of VS Code's terminals. */
export async function putCliOnTerminalPath(context: vscode.ExtensionContext): Promise<vscode.Uri> {
  const windows = process.platform === 'win32';
  const bin = vscode.Uri.joinPath(context.globalStorageUri, 'bin');
  const launcher = vscode.Uri.joinPath(bin, windows ? 'cow-lab.cmd' : 'cow-lab');
  // The PATH first, so that terminals opened from now on get it; the launcher follows at once.
  const collection = context.environmentVariableCollection;
  collection.description = 'Puts the `cow-lab` command of the CoW Lab extension on the PATH.';
  collection.prepend('PATH', `${bin.fsPath}${windows ? ';' : ':'}`);
  await vscode.workspace.fs.createDirectory(bin);
  await vscode.workspace.fs.writeFile(launcher, new TextEncoder().encode(launcherText(process.execPath, cliScript(context.extensionUri), windows)));
  if (!windows) {
    // The storage is on the extension host's disk: Node's fs can set the executable bit there.
    await chmod(launcher.fsPath, 0o755);
  }
  return launcher;
}
