// What the browser build cannot do, said where a learner would look for it: the walkthrough's
// kernel and trade-off steps and their commands (hidden from the palette by `cowLab.web`). Plus a report of where the extension runs, which the browser
// test reads back through the workspace's file system.
import * as vscode from 'vscode';

export const VERIFY_IN_TERMINAL = 'cowLab.verifyInTerminal';
export const MEASURE = 'cowLab.measure';
export const FORGET_MEASUREMENT = 'cowLab.forgetMeasurement';
/** Internal: writes { host facts } to the given workspace file (the browser test's proof). */
export const HOST_REPORT = 'cowLab.web.writeHostReport';

export const KERNEL_CHECK_UNAVAILABLE =
  'Checking a scenario against the kernel is not available in the browser: it compiles a small C program, runs it under Linux and reads /proc/self/pagemap, and a browser tab has no compiler, no processes and no kernel to ask. Open the folder in desktop VS Code, or a remote or Codespace window, on a Linux machine to use it. Everything else in CoW Lab (the panel, the debugger, predict mode, exercises) works here.';

export const MEASURE_UNAVAILABLE =
  'Measuring on your machine is not available in the browser: it compiles a small C benchmark and times real fork() calls, copy-on-write faults and full copies under Linux, and a browser tab has no compiler and no processes. Time estimates here use the default cost model (described under "The trade-off in time" on CoW Lab\'s Details page). Open the folder in desktop VS Code, or a remote or Codespace window, on a Linux machine to measure.';

export function registerNodeOnlyExplanations(context: vscode.ExtensionContext): void {
  const explain = (text: string) => () => {
    void vscode.window.showInformationMessage(text, { modal: false });
    return undefined;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_IN_TERMINAL, explain(KERNEL_CHECK_UNAVAILABLE)),
    vscode.commands.registerCommand(MEASURE, explain(MEASURE_UNAVAILABLE)),
    vscode.commands.registerCommand(FORGET_MEASUREMENT, explain(MEASURE_UNAVAILABLE)),
  );
}

interface HostFacts {
  readonly build: 'browser';
  /** `process.versions.node` when there is one (never in a web worker). */
  readonly node: string | null;
  readonly userAgent: string | null;
  /** True inside a dedicated web worker (WorkerGlobalScope). */
  readonly webWorker: boolean;
  readonly uiKind: 'web' | 'desktop';
  readonly remoteName: string | null;
  readonly extensionUri: string;
}

function hostFacts(context: vscode.ExtensionContext): HostFacts {
  const g = globalThis as { process?: { versions?: { node?: string } }; navigator?: { userAgent?: string }; WorkerGlobalScope?: unknown; importScripts?: unknown };
  return {
    build: 'browser',
    node: g.process?.versions?.node ?? null,
    userAgent: g.navigator?.userAgent ?? null,
    webWorker: typeof g.WorkerGlobalScope === 'function' && typeof g.importScripts === 'function',
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    remoteName: vscode.env.remoteName ?? null,
    extensionUri: context.extensionUri.toString(),
  };
}

export function registerHostReport(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(HOST_REPORT, async (name?: unknown) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return undefined;
      const file = vscode.Uri.joinPath(folder.uri, typeof name === 'string' && /^[\w.-]+$/.test(name) ? name : '.cow-lab-host.json');
      const panel = await vscode.commands.executeCommand<unknown>('_cowLab.panelState');
      const report = { ...hostFacts(context), panel, debugSession: vscode.debug.activeDebugSession?.type ?? null };
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(report, null, 2)));
      return report;
    }),
  );
}
