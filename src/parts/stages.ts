// How both builds activate (src/extension.ts, src/web/extension.ts). activate() itself only
// schedules: what VS Code times as the activation (the entry's code loading plus the synchronous
// activate() call, Running Extensions' figure) does no registration at all. The registrations
// follow in the next tasks, one stage per task, so the extension host answers other messages in
// between; activate() returns a promise that resolves once every stage has run, and VS Code waits
// for that promise before it runs a command of ours, resolves a debug configuration or revives
// the panel — so nothing a learner can invoke finds its handler missing. The editor that opened
// the scenario does not wait: its CodeLens, outline and hovers are asked again when a provider
// registers. The log channel is created the first time something is logged. How long each stage
// took is recorded for the activation bench (src/parts/timing.ts).
import * as vscode from 'vscode';
import { ACTIVATION_REPORT, ACTIVATION_REPORT_FILE, activationReport, type EntryTimes } from './timing';

/**
 * Runs each stage in a task of its own, in order; resolves when the last has run. `entry`: the
 * shell's times (src/parts/shell.ts); `calledAt`: performance.now() at the bundle's activate(),
 * which returns this promise.
 */
export async function inStages(context: vscode.ExtensionContext, entry: EntryTimes, calledAt: number, stages: readonly (() => void)[]): Promise<void> {
  // Until the first await this runs inside the bundle's activate().
  const bundleActivate = performance.now() - calledAt;
  const ranFor: number[] = [];
  for (const stage of stages) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const begun = performance.now();
    stage();
    ranFor.push(performance.now() - begun);
  }
  const { startedAt, ...shell } = entry;
  const times = { ...shell, bundleActivate, stages: ranFor, settled: performance.now() - startedAt };
  // Internal (contributed by the activation bench's manifest only): the times, and the parts loaded by now.
  context.subscriptions.push(
    vscode.commands.registerCommand(ACTIVATION_REPORT, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return undefined;
      const report = activationReport(times);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, ACTIVATION_REPORT_FILE), new TextEncoder().encode(JSON.stringify(report)));
      return report;
    }),
  );
}

/**
 * A value one stage makes and later stages read (the analysis service: made in the first stage,
 * handed to the parts in the second). Reading it before it is set is a bug in the stages' order.
 */
export function stageSlot<T>(what: string): { set(value: T): T; get(): T } {
  let value: T | undefined;
  return {
    set: (v) => (value = v),
    get: () => {
      if (value === undefined) throw new Error(`CoW Lab: ${what} is read before the stage that makes it`);
      return value;
    },
  };
}

/** The "CoW Lab" log output channel, created on the first message (none until one is written). */
export function lazyLog(context: vscode.ExtensionContext): Pick<vscode.LogOutputChannel, 'warn'> {
  let channel: vscode.LogOutputChannel | undefined;
  const open = (): vscode.LogOutputChannel => {
    if (!channel) {
      channel = vscode.window.createOutputChannel('CoW Lab', { log: true });
      context.subscriptions.push(channel);
    }
    return channel;
  };
  return { warn: (message, ...args) => open().warn(message, ...args) };
}
