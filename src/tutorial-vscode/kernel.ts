// cowLab.verifyInTerminal: the walkthrough's last step. Opens a sample and a terminal with the
// `cow-lab verify` command line for it already typed (not run: the learner presses Enter), so
// the scenario is played on the learner's own Linux kernel and compared with the engine.
import * as vscode from 'vscode';
import type { Samples } from './samples';

export const VERIFY_IN_TERMINAL = 'cowLab.verifyInTerminal';
const TERMINAL_NAME = 'CoW Lab: verify';

export interface VerifyLaunch {
  readonly commandLine: string;
  readonly terminal: vscode.Terminal;
}

export function registerKernelCheck(context: vscode.ExtensionContext, samples: Samples): void {
  context.subscriptions.push(vscode.commands.registerCommand(VERIFY_IN_TERMINAL, (sample?: unknown) => verifyInTerminal(context, samples, sample)));
}

async function verifyInTerminal(context: vscode.ExtensionContext, samples: Samples, sample: unknown): Promise<VerifyLaunch | undefined> {
  let file: vscode.Uri | undefined;
  if (typeof sample === 'string') {
    file = (await samples.open(sample))?.uri;
  } else {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId === 'cow' && !document.isUntitled) file = document.uri;
  }
  if (!file) {
    void vscode.window.showInformationMessage('Open a saved .cow scenario first: cow-lab verify plays a file on the kernel.');
    return undefined;
  }
  // verify compiles a C driver and runs it: only where the user trusts the workspace.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Checking against the kernel compiles and runs a small C program, so CoW Lab only offers it in a trusted workspace.');
    return undefined;
  }
  // The kernel that matters is the one the extension host runs on (the remote one, if remote).
  if (process.platform !== 'linux') {
    void vscode.window.showInformationMessage('cow-lab verify plays scenarios on a Linux kernel; this machine is not Linux.');
    return undefined;
  }
  const commandLine = `${await cliInvocation(context)} verify ${quote(file.fsPath)}`;
  const terminal = vscode.window.terminals.find((t) => t.name === TERMINAL_NAME) ?? vscode.window.createTerminal({ name: TERMINAL_NAME });
  terminal.show();
  terminal.sendText(commandLine, false);
  return { commandLine, terminal };
}

/** The CLI next to the extension when it was built there (a checkout), else `cow-lab` on the PATH. */
async function cliInvocation(context: vscode.ExtensionContext): Promise<string> {
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js');
  try {
    await vscode.workspace.fs.stat(cli);
    return `node ${quote(cli.fsPath)}`;
  } catch {
    return 'cow-lab';
  }
}

/** POSIX shell single quotes (the command is typed into a Linux terminal). */
function quote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}
