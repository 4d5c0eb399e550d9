// Typing into two large scenarios with the analysis service on a real worker thread, as the
// extension host does: every keystroke a new document version that completion asks about, the
// Problems view's refresh after a 250 ms pause, and (panel open) the panel's full run after a
// 300 ms pause. Printed: scenario runs per edit (one edit = a burst of keystrokes then a pause)
// and the longest time the host's thread was blocked, two ways: the CPU time the thread spent
// between two ticks of a 5 ms ticker (its own work: what a keystroke waits for), and the ticker's
// largest lateness (that plus the scheduler's delays: on a shared two-core machine under load the
// thread waits for a core; the control rows show how much of that there is with no host work).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { nodeWorkerEndpoint } from '../src/analysis/nodeWorker';
import { AnalysisService, type AnalysisDocument } from '../src/analysis/service';
import { hostRunner } from '../src/analysis/hostRunner';
import { row, threadCpuMs } from './measure';

const KEYSTROKES = 12;
const KEY_GAP_MS = 60;
const EDITS = 3;
const TICK_MS = 5;

function tenThousandStatements(): string {
  const lines = ['process shell', 'shell: map heap 256 private', 'shell: write heap[0..255] "a"', 'shell: fork child'];
  for (let i = 0; lines.length < 10_000; i++) lines.push(`${i % 2 ? 'child' : 'shell'}: write heap[${i % 256}] "v${i % 7}"`);
  return `${lines.join('\n')}\n# `;
}

function millionPages(): string {
  return ['process p', 'p: map big 1000000 private', 'p: write big[0..999999] "x"', 'p: fork c', 'c: write big[5] "y"', 'expect copies == 1', '# '].join('\n');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Block {
  /** Largest lateness of a 5 ms ticker: the thread's own work plus the scheduler's delays. */
  readonly late: number;
  /** Largest CPU time the thread spent between two ticks: its own work alone. */
  readonly busy: number | undefined;
}

/** The longest block of this thread while `work` runs, two ways (see Block). */
async function longestBlock(work: () => Promise<void>): Promise<Block> {
  let last = performance.now();
  let lastCpu = threadCpuMs();
  let late = 0;
  let busy = lastCpu === undefined ? undefined : 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    late = Math.max(late, now - last - TICK_MS);
    if (busy !== undefined && cpu !== undefined && lastCpu !== undefined) busy = Math.max(busy, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  }, TICK_MS);
  await work();
  clearInterval(ticker);
  return { late, busy };
}

const blockText = (b: Block) => `${b.busy === undefined ? 'n/a' : `${b.busy.toFixed(1)} ms`} on the CPU (${b.late.toFixed(1)} ms late, the scheduler's delays included)`;

async function typeInto(name: string, start: string, panelOpen: boolean, script: string): Promise<void> {
  const service = new AnalysisService(() => nodeWorkerEndpoint(script));
  service.useHostRunner(hostRunner);
  let text = start;
  let version = 1;
  const doc = (): AnalysisDocument => ({ uri: `file:///${name}.cow`, version, fileName: `${name}.cow`, getText: () => text });
  const watch = panelOpen ? service.watchFullRuns(`file:///${name}.cow`) : undefined;
  await service.diagnostics(doc());
  if (panelOpen) await service.fullRun(doc());
  const runsBefore = service.stats.scenarioRuns;
  let analysed = 0;
  const block = await longestBlock(async () => {
    for (let e = 0; e < EDITS; e++) {
      for (let k = 0; k < KEYSTROKES; k++) {
        text += 'x';
        version += 1;
        const line = text.split('\n').length;
        void service.query(doc(), { kind: 'completion', line, col: 3 }).then((a) => a && analysed++); // completion asks at each keystroke
        await sleep(KEY_GAP_MS);
      }
      await sleep(250);
      const diagnostics = service.diagnostics(doc());
      await sleep(50);
      const full = panelOpen ? service.fullRun(doc()) : Promise.resolve(undefined);
      await Promise.all([diagnostics, full]);
    }
  });
  const runs = service.stats.scenarioRuns - runsBefore;
  const mode = panelOpen ? 'panel open' : 'panel closed';
  row(`${name}, ${mode}: scenario runs per edit`, `${(runs / EDITS).toFixed(2)} (${runs} runs, ${EDITS} edits of ${KEYSTROKES} keystrokes)`);
  row(`${name}, ${mode}: longest block of the host's thread`, `${blockText(block)}; target ≤ 50 ms`);
  row(`${name}, ${mode}: versions cancelled / worker restarts`, `${service.stats.cancelled} / ${service.stats.restarts} (${analysed} keystroke analyses answered)`);
  watch?.dispose();
  service.dispose();
}

export async function benchTyping(): Promise<void> {
  console.log('\nTyping with the analysis service (a worker thread; runs per edit, longest host block)');
  const script = join(__dirname, 'analysisWorker.js');
  const idle = await longestBlock(() => sleep(2_000));
  row('idle: the 5 ms ticker alone (this machine\'s noise)', blockText(idle));
  // The same ticker while another thread of this process computes and the host does nothing:
  // what the machine's scheduler adds when the worker is busy (the control for the rows below).
  const spinner = new Worker('const end = Date.now() + 3000; while (Date.now() < end);', { eval: true });
  const busy = await longestBlock(() => sleep(2_000));
  await spinner.terminate();
  row('idle host, a busy worker thread (control)', blockText(busy));
  await typeInto('10,000 statements', tenThousandStatements(), false, script);
  await typeInto('1,000,000-page region', millionPages(), false, script);
  await typeInto('10,000 statements', tenThousandStatements(), true, script);
  await typeInto('1,000,000-page region', millionPages(), true, script);
}
