// cowLab.verifyInTerminal: the walkthrough's last step. Plays the learner's copy of a sample (or
// the active saved scenario) on the learner's own Linux kernel with `cow-lab verify`, in a
// terminal of its own: a pseudoterminal that runs the bundled CLI with the extension host's Node,
// so neither the PATH nor a shell (nor its prompt being ready) matters. The terminal's first line
// is the command as the learner can type it in any VS Code terminal (cli.ts puts cow-lab on their
// PATH); then the CLI's output, the kernel's verdict, and its exit code.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { cliCommand, shellQuote } from './cli';
import type { LearnerCopies } from './copies';

export const VERIFY_IN_TERMINAL = 'cowLab.verifyInTerminal';
const TERMINAL_NAME = 'CoW Lab: verify';

/** Exit codes of `cow-lab verify` that mean the kernel gave a verdict (agrees, or disagrees). */
const VERDICT_EXITS = new Set([0, 3]);

export interface VerifyLaunch {
  /** The command line as the learner would type it (shown first in the terminal). */
  readonly commandLine: string;
  readonly terminal: vscode.Terminal;
  /** Resolves with the CLI's exit code when it ends. */
  readonly exited: Promise<number>;
}

export function registerKernelCheck(context: vscode.ExtensionContext, copies: LearnerCopies, onVerdict: () => void): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_IN_TERMINAL, async (sample?: unknown) => {
      const launch = await verifyInTerminal(context, copies, sample);
      void launch?.exited.then((code) => {
        if (VERDICT_EXITS.has(code)) onVerdict();
      });
      return launch;
    }),
  );
}

async function verifyInTerminal(context: vscode.ExtensionContext, copies: LearnerCopies, sample: unknown): Promise<VerifyLaunch | undefined> {
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
  const document = typeof sample === 'string' ? await copies.open(sample, 'sample') : activeScenario();
  if (!document) {
    void vscode.window.showInformationMessage('Open a .cow scenario first: cow-lab verify plays it on the kernel.');
    return undefined;
  }
  // The CLI reads a file: save the learner's edits first; an untitled copy goes through storage.
  let file: vscode.Uri;
  if (document.isUntitled) {
    const name = typeof sample === 'string' ? sample : 'scenario.cow';
    file = vscode.Uri.joinPath(context.globalStorageUri, 'verify', name);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(context.globalStorageUri, 'verify'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(document.getText()));
  } else {
    if (document.isDirty) await document.save();
    file = document.uri;
  }
  // Relative to the folder a VS Code terminal starts in, when the file is in the workspace.
  const folder = vscode.workspace.getWorkspaceFolder(file);
  const shown = folder ? vscode.workspace.asRelativePath(file, false) : file.fsPath;
  const commandLine = `cow-lab verify ${shellQuote(shown)}`;
  const command = { ...cliCommand(context.extensionUri, ['verify', shown]), cwd: folder?.uri.fsPath };
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const pty = runningPty(commandLine, command, resolveExit);
  vscode.window.terminals.find((t) => t.name === TERMINAL_NAME)?.dispose();
  const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, pty, iconPath: new vscode.ThemeIcon('beaker') });
  terminal.show(true);
  return { commandLine, terminal, exited };
}

/** A terminal that shows `commandLine`, runs `command`, streams its output and reports its exit. */
function runningPty(commandLine: string, command: ReturnType<typeof cliCommand> & { readonly cwd: string | undefined }, onExit: (code: number) => void): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  let child: ReturnType<typeof spawn> | undefined;
  // A terminal wants CRLF line ends.
  const out = (text: string): void => write.fire(text.replace(/\r?\n/g, '\r\n'));
  return {
    onDidWrite: write.event,
    open: () => {
      out(`$ ${commandLine}\n`);
      child = spawn(command.program, [...command.args], { cwd: command.cwd, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.setEncoding('utf8').on('data', out);
      child.stderr?.setEncoding('utf8').on('data', out);
      child.on('error', (e) => {
        out(`cow-lab verify could not start: ${e.message}\n`);
        onExit(-1);
      });
      child.on('close', (code) => {
        out(`\n[cow-lab verify exited with code ${code ?? -1}]\n`);
        onExit(code ?? -1);
      });
    },
    close: () => {
      child?.kill();
      write.dispose();
    },
  };
}

function activeScenario(): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'cow' ? document : undefined;
}
