// Activation time in a real VS Code: code-server with the packaged .vsix installed, a .cow file
// opened (the `onLanguage:cow` activation), then "Developer: Show Running Extensions", whose row
// reads "Activation: N ms" — the extension host's own figure: loading the entry bundle
// (codeLoadingTime; in the web worker host only its evaluation, the fetch is before it) plus the
// synchronous activate() call (activateCallTime), by Date.now(). Measured for the desktop build
// (Node extension host) and the browser build (a manifest with only `browser`: code-server's web
// worker extension host), each beside a CONTROL (bench/activationControl.ts: the same activation
// events, an empty activate()), whose figure is what VS Code itself costs here. The two run in
// two code-servers at once and their fresh windows alternate, so both see the same load.
// Each CoW Lab window also reports, through a command only the bench's manifest contributes
// (src/parts/timing.ts), what VS Code's figure leaves out: the task after activate() in which the
// entry's shell (src/parts/shell.ts) requires `vscode` and evaluates the bundle, the stages, and
// the parts loaded by then.
// Usage (the locks: one benchmark, one code-server at a time on this machine):
//   flock /tmp/cowlab-bench.lock flock /tmp/cowlab-vscode.lock npm run bench:activation [-- --runs N] [-- --vsix FILE]
// FILE: a desktop .vsix built elsewhere, e.g. from an older commit, to compare; the browser build
// is then skipped, and so are the inside times (an older build has no report).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ActivationTimes } from '../src/parts/timing';
import { ACTIVATION_REPORT, ACTIVATION_REPORT_FILE } from '../src/parts/timing';
import { launchBrowser, openWorkbench, quickOpen, runCommand } from '../test/ui/workbench';
import { type ControlKind, controlName, packageControl } from './activationControl';

const root = join(__dirname, '..');
const script = (name: string): string => pathToFileURL(join(root, 'scripts', 'vscode', name)).href;
const REPORT_COMMAND = { command: ACTIVATION_REPORT, title: 'Write Activation Times', category: 'CoW Lab Bench' };

interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

interface Build {
  readonly name: string;
  readonly vsix: string;
  /** The extension's display name in Running Extensions. */
  readonly row: string;
  /** CoW Lab (not the control): wait for its Run CodeLens; `report`: its manifest has the report command. */
  readonly ours: boolean;
  readonly report: boolean;
}

interface Window {
  readonly figure: number;
  readonly load: number;
  readonly times?: ActivationTimes;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const load1 = (): number => loadavg()[0] ?? NaN;
const ms = (n: number): string => (Math.abs(n) < 10 ? n.toFixed(1) : n.toFixed(0));

/** The figure VS Code shows in the Running Extensions editor for the extension named `name`, in ms. */
async function activationMs(page: Page, name: string): Promise<number> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row').filter({ hasText: name });
  const label = row.locator('.activation-time').filter({ hasText: /Activation: \d+ms/ });
  // The list renders only the rows in view, and where the row sorts depends on its figure:
  // scroll down, then up, then down again, until the row shows the figure.
  const list = page.locator('.runtime-extensions-editor .monaco-list');
  await list.waitFor();
  const deadline = Date.now() + 180_000;
  for (let turn = 0; (await label.count()) === 0; turn++) {
    if (Date.now() > deadline) throw new Error(`no activation figure in ${name}'s row of Running Extensions after 180 s (row ${(await row.count()) > 0 ? 'in view' : 'not found'})`);
    await list.hover();
    await page.mouse.wheel(0, Math.floor(turn / 40) % 2 === 0 ? 300 : -300);
    await page.waitForTimeout(250);
  }
  const text = (await label.first().textContent()) ?? '';
  const figure = /Activation: (\d+)ms/.exec(text)?.[1];
  if (figure === undefined) throw new Error(`no activation time in "${text}"`);
  return Number(figure);
}

/** CoW Lab's own times in this window (src/parts/timing.ts), through the bench's command. */
async function insideTimes(page: Page, workspace: string): Promise<ActivationTimes> {
  const file = join(workspace, ACTIVATION_REPORT_FILE);
  rmSync(file, { force: true });
  await runCommand(page, `${REPORT_COMMAND.category}: ${REPORT_COMMAND.title}`);
  const deadline = Date.now() + 60_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within 60 s`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(100);
  return JSON.parse(readFileSync(file, 'utf8')) as ActivationTimes;
}

/** One fresh window (a new extension host, which activates the extension again). */
async function measureWindow(browser: Browser, build: Build, target: { url: string; workspace: string }): Promise<Window> {
  const page = await openWorkbench(browser, target);
  try {
    await quickOpen(page, '02-write-fault.cow');
    // CoW Lab's Run CodeLens shows once its stages have registered the providers: the figure
    // follows when activate()'s promise resolves. On a loaded machine the browser has taken minutes.
    if (build.ours) await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 240_000 });
    // The report first: the palette does not open from the Running Extensions editor.
    const times = build.report ? await insideTimes(page, target.workspace) : undefined;
    const figure = await activationMs(page, build.row);
    const load = load1();
    return times ? { figure, load, times } : { figure, load };
  } finally {
    await page.close();
  }
}

/** CoW Lab's own account of a window (src/parts/timing.ts), in the order things ran. */
function inside(t: ActivationTimes): string {
  return `activate() ${ms(t.activateCall)} ms; next task: vscode API ${ms(t.vscodeApi)} + bundle evaluated ${ms(t.evaluation)} + its activate() ${ms(t.bundleActivate)} ms; stages ${t.stages.map(ms).join(' + ')} ms; all run ${ms(t.settled)} ms after activate() began`;
}

function describe(w: Window): string {
  const head = `${w.figure} ms (load average ${w.load.toFixed(1)})`;
  const t = w.times;
  if (!t) return head;
  const parts = Object.entries(t.parts).map(([name, p]) => `${name} read ${ms(p.read)} + evaluated ${ms(p.evaluation)} ms`);
  return `${head}; inside: ${inside(t)}${parts.length > 0 ? `; parts loaded by then: ${parts.join(', ')}` : ''}`;
}

/** Measures the builds side by side: a code-server each, their windows in turn. */
async function measureSideBySide(builds: readonly Build[], runs: number): Promise<Window[][]> {
  const { startCodeServer } = (await import(script('codeServer.mjs'))) as { startCodeServer(o: object): Promise<Server> };
  const { makeWorkspace } = (await import(script('runUi.mjs'))) as { makeWorkspace(parent: string): string };
  const scratches: string[] = [];
  const servers: Server[] = [];
  let browser: Browser | undefined;
  try {
    const targets = [];
    for (const build of builds) {
      const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-activation-'));
      scratches.push(scratch);
      const server = await startCodeServer({ installExtensions: [build.vsix] });
      servers.push(server);
      const workspace = makeWorkspace(scratch);
      targets.push({ url: `${server.url}?folder=${encodeURIComponent(workspace)}`, workspace });
    }
    browser = await launchBrowser();
    const windows: Window[][] = builds.map(() => []);
    for (let i = 0; i < runs; i++) {
      for (const [b, build] of builds.entries()) {
        const w = await measureWindow(browser, build, targets[b] as { url: string; workspace: string });
        windows[b]?.push(w);
        console.log(`  ${build.name} run ${i + 1}: ${describe(w)}`);
      }
    }
    return windows;
  } finally {
    await browser?.close();
    for (const server of servers) await server.stop();
    for (const scratch of scratches) rmSync(scratch, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const range = (values: readonly number[]): string => `${ms(median(values))} ms median (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;

function summary(build: Build, windows: readonly Window[], controls: readonly [Build, readonly Window[]][]): void {
  const figures = windows.map((w) => w.figure);
  const loads = windows.map((w) => w.load);
  const ours = median(figures);
  const target = build.ours ? ` (target < 50 ms: ${ours < 50 ? 'met' : 'not met'})` : '';
  const beside = controls.map(([c, ws]) => `; minus ${c.name}: ${ms(ours - median(ws.map((w) => w.figure)))} ms`).join('');
  console.log(`  ${build.name.padEnd(48)} ${range(figures)}, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}${target}${beside}`);
  const times = windows.flatMap((w) => (w.times ? [w.times] : []));
  if (times.length === 0) return;
  const m = (pick: (t: ActivationTimes) => number): number => median(times.map(pick));
  const stages = (times[0]?.stages ?? []).map((_, s) => (t: ActivationTimes) => t.stages[s] ?? NaN);
  const medianTimes: ActivationTimes = { activateCall: m((t) => t.activateCall), vscodeApi: m((t) => t.vscodeApi), evaluation: m((t) => t.evaluation), bundleActivate: m((t) => t.bundleActivate), stages: stages.map(m), settled: m((t) => t.settled), parts: {} };
  console.log(`    inside, medians: ${inside(medianTimes)}`);
}

async function main(): Promise<void> {
  const runs = Number(argument('--runs') ?? 5);
  const given = argument('--vsix');
  const { provision } = (await import(script('provision.mjs'))) as { provision(): Promise<void> };
  const { packageExtension } = (await import(script('package.mjs'))) as { packageExtension(out: string, o?: object): Promise<string> };
  const { webOnly } = (await import(script('runWeb.mjs'))) as { webOnly(m: object): object };
  await provision();
  const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-activation-vsix-'));
  type Contributing = { contributes?: { commands?: unknown[] } };
  const withReport = (m: Contributing): object => ({ ...m, contributes: { ...m.contributes, commands: [...(m.contributes?.commands ?? []), REPORT_COMMAND] } });
  try {
    const hosts: { host: 'desktop' | 'browser'; label: string; ours: Build }[] = [
      { host: 'desktop', label: 'desktop (Node extension host)', ours: given ? { name: '', vsix: given, row: 'CoW Lab', ours: true, report: false } : { name: '', vsix: await packageExtension(join(scratch, 'desktop.vsix'), { editManifest: withReport }), row: 'CoW Lab', ours: true, report: true } },
    ];
    if (!given) hosts.push({ host: 'browser', label: 'browser (web worker extension host)', ours: { name: '', vsix: await packageExtension(join(scratch, 'web.vsix'), { editManifest: (m: object) => withReport(webOnly(m) as Contributing) }), row: 'CoW Lab', ours: true, report: true } });
    const results: { builds: Build[]; windows: Window[][] }[] = [];
    for (const { host, label, ours } of hosts) {
      // The browser also gets a control that requires nothing: what building the API object costs.
      const kinds: ControlKind[] = host === 'browser' ? ['api', 'bare'] : ['api'];
      const controls: Build[] = [];
      for (const kind of kinds) controls.push({ name: `${host} control (${kind === 'api' ? 'requires vscode' : 'requires nothing'})`, vsix: await packageControl(root, scratch, host, kind, join(scratch, `control-${host}-${kind}.vsix`)), row: controlName(kind), ours: false, report: false });
      const builds = [{ ...ours, name: `${label} CoW Lab` }, ...controls];
      results.push({ builds, windows: await measureSideBySide(builds, runs) });
    }
    console.log(`\nActivation in code-server (Running Extensions: code loading + activate()), load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const { builds, windows } of results) {
      const [ours, ...controls] = builds;
      const controlWindows = controls.map((c, i): [Build, readonly Window[]] => [c, windows[i + 1] ?? []]);
      if (ours) summary(ours, windows[0] ?? [], controlWindows);
      for (const [c, ws] of controlWindows) summary(c, ws, []);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
