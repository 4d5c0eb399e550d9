// "CoW Lab: Measure on My Machine": runs the C benchmark (trusted workspaces, Linux) with a
// cancellable progress notification, keeps the result per machine, makes it the cost model of
// every time estimate, and shows the trade-off chart and the filled comparison table.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../engine';
import { measure, MeasureCancelled, measureUnsupported, MeasureUnavailable, type MeasureOptions } from '../measure/run';
import type { MeasureReport } from '../measure/summary';
import { activeCostModel, setMeasuredModel } from './activeModel';
import { measurePageHtml } from './chart';
import { loadMeasurement, saveMeasurement } from './store';

export const MEASURE_COMMAND = 'cowLab.measure';
export const FORGET_COMMAND = 'cowLab.forgetMeasurement';
export const MEASURE_VIEW = 'cowLab.measurement';

/** What the command did, for tests and the walkthrough. */
export interface MeasureOutcome {
  readonly status: 'measured' | 'cancelled' | 'unavailable' | 'failed';
  readonly message: string;
  readonly report?: MeasureReport;
}

/** `onMeasured` runs after a measurement finished and was saved (the walkthrough's trade-off step ticks then). */
export function registerMeasure(context: vscode.ExtensionContext, onMeasured: () => void = () => undefined): void {
  setMeasuredModel(loadMeasurement(context.globalState));
  let panel: vscode.WebviewPanel | undefined;
  const show = (report: MeasureReport | null, note: string): void => {
    if (!panel) {
      // No script of ours runs: the page's CSP (default-src 'none', no script-src) forbids every
      // script. enableScripts stays on because a webview with it off rendered blank in code-server.
      panel = vscode.window.createWebviewPanel(MEASURE_VIEW, 'CoW Lab: Trade-off in Time', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
      panel.onDidDispose(() => (panel = undefined));
    }
    panel.webview.html = measurePageHtml({ report, note, defaultModel: DEFAULT_MODEL.model, nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource });
    panel.reveal();
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(MEASURE_COMMAND, async (options?: { mib?: unknown; samples?: unknown }) => {
      const outcome = await run(context, show, options);
      if (outcome.status === 'measured') onMeasured();
      return outcome;
    }),
    vscode.commands.registerCommand(FORGET_COMMAND, () => forget(context)),
  );
}

/** Back to CoW Lab's default model: a measurement taken on a busy machine, or a machine that changed. */
async function forget(context: vscode.ExtensionContext): Promise<{ readonly status: 'forgotten' | 'none'; readonly message: string }> {
  const kept = loadMeasurement(context.globalState);
  if (!kept) {
    const message = "No measurement is kept on this machine: time estimates already use CoW Lab's default model.";
    void vscode.window.showInformationMessage(message);
    return { status: 'none', message };
  }
  await saveMeasurement(context.globalState, undefined);
  setMeasuredModel(undefined);
  const message = `Forgot the measurement of ${kept.measuredAt.slice(0, 10)}: time estimates use CoW Lab's default model again. "CoW Lab: Measure on My Machine" measures anew.`;
  void vscode.window.showInformationMessage(message);
  return { status: 'forgotten', message };
}

function smallCount(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
}

async function run(context: vscode.ExtensionContext, show: (r: MeasureReport | null, note: string) => void, options?: { mib?: unknown; samples?: unknown }): Promise<MeasureOutcome> {
  const kept = loadMeasurement(context.globalState);
  const unavailable = (reason: string): MeasureOutcome => {
    const message = `CoW Lab cannot measure here: ${reason}. Time estimates use ${kept ? 'the measurement kept from before' : "CoW Lab's default model"}.`;
    void vscode.window.showWarningMessage(message);
    show(kept ?? null, message);
    return { status: 'unavailable', message };
  };
  if (!vscode.workspace.isTrusted) return unavailable('the measurement compiles and runs a C program, which CoW Lab only does in a trusted workspace');
  const unsupported = measureUnsupported();
  if (unsupported) return unavailable(unsupported);
  const settings = vscode.workspace.getConfiguration('cowLab.measure');
  const mib = smallCount(options?.mib, 16384) ?? smallCount(settings.get('mib'), 16384);
  const samples = smallCount(options?.samples, 100) ?? smallCount(settings.get('samples'), 100);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'CoW Lab: measuring fork and copy-on-write on this machine', cancellable: true },
    async (progress, token): Promise<MeasureOutcome> => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      const opts: MeasureOptions = {
        ...(mib === undefined ? {} : { mib }),
        ...(samples === undefined ? {} : { samples }),
        signal: abort.signal,
        onProgress: (done, line) => {
          const percent = Math.floor(done * 100);
          progress.report({ increment: percent - reported, message: `${percent}% · ${describe(line)}` });
          reported = percent;
        },
      };
      try {
        const report = await measure(opts);
        await saveMeasurement(context.globalState, report);
        setMeasuredModel(report);
        const message = report.crossover === null
          ? 'Measured: copy-on-write was cheaper at every fraction written on this machine.'
          : `Measured: on this machine the full copy becomes cheaper once about ${Math.round(report.crossover * 100)}% of the pages are written.`;
        show(report, `${message} Every scenario's time estimates now use this machine's figures.`);
        void vscode.window.showInformationMessage(message);
        return { status: 'measured', message, report };
      } catch (e) {
        if (e instanceof MeasureCancelled) {
          const message = `Measurement cancelled. Time estimates keep using ${activeCostModel().source}.`;
          void vscode.window.showInformationMessage(message);
          return { status: 'cancelled', message };
        }
        if (e instanceof MeasureUnavailable) return unavailable(e.message);
        const message = `The measurement failed: ${e instanceof Error ? e.message : String(e)}`;
        void vscode.window.showErrorMessage(message);
        return { status: 'failed', message };
      } finally {
        sub.dispose();
      }
    },
  );
}

function describe(line: string): string {
  const [name, a] = line.split(/\s+/);
  switch (name) {
    case 'fork': return 'fork()';
    case 'cowfault': return 'copy-on-write faults';
    case 'anonfault': return 'first-touch faults';
    case 'copy': return 'memcpy bandwidth';
    case 'fullcopy': return 'a full copy';
    case 'cow': return `fork + ${Math.round(Number(a) * 100)}% written`;
    case 'eager': return `full copy + ${Math.round(Number(a) * 100)}% written`;
    default: return name ?? '';
  }
}
