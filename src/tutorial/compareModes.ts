// The article's comparison of copy-on-write with a full (eager) copy, filled with the learner's
// own numbers: the same scenario run once in each mode, the figures side by side. The panel
// shows the same figures live ("Compare with Full Copy"); this is the table to keep.
import { formatBytes, PAGE_SIZE, plural, type Stats } from '../engine';
import { analyze, runScenario, type Diagnostic, type RunResult } from '../language';

export interface ModeFigures {
  /** Pages copied by fork statements (the up-front cost). */
  readonly copiedAtFork: number;
  /** Page-table entries fork copied. */
  readonly ptesAtFork: number;
  readonly copies: number;
  readonly bytesCopied: number;
  readonly framesAtEnd: number;
  readonly peakFrames: number;
  readonly faults: number;
}

export type ModeComparison =
  | { readonly ok: true; readonly cow: ModeFigures; readonly eager: ModeFigures; readonly forks: number }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The scenario with its `mode` header set to `mode` (added as the first line when absent). */
export function withMode(source: string, mode: 'cow' | 'eager'): string {
  const { program } = analyze(source);
  if (program.mode === undefined) return `mode ${mode}\n${source}`;
  // Raw lines, so the file's line endings and final newline survive.
  const lines = source.split('\n');
  const index = program.mode.range.line - 1;
  lines[index] = `mode ${mode}${lines[index]?.endsWith('\r') ? '\r' : ''}`;
  return lines.join('\n');
}

export function compareModes(source: string): ModeComparison {
  const cow = runScenario(withMode(source, 'cow'));
  if (!cow.ok) return { ok: false, diagnostics: cow.diagnostics };
  const eager = runScenario(withMode(source, 'eager'));
  if (!eager.ok) return { ok: false, diagnostics: eager.diagnostics };
  const forks = cow.run.steps.filter((s) => s.operation?.op === 'fork').length;
  return { ok: true, cow: figures(cow.run), eager: figures(eager.run), forks };
}

function figures(run: RunResult): ModeFigures {
  let copiedAtFork = 0;
  let ptesAtFork = 0;
  for (const step of run.steps) {
    if (step.operation?.op !== 'fork' || step.state < 1) continue;
    const before = run.timeline.at(step.state - 1).stats;
    const after = run.timeline.at(step.state).stats;
    copiedAtFork += after.copies - before.copies;
    ptesAtFork += after.ptesCopied - before.ptesCopied;
  }
  const s: Stats = run.timeline.latest.stats;
  return { copiedAtFork, ptesAtFork, copies: s.copies, bytesCopied: s.bytesCopied, framesAtEnd: s.frames, peakFrames: s.peakFrames, faults: s.faults };
}

function pages(n: number): string {
  return `${plural(n, 'page')} (${formatBytes(n * PAGE_SIZE)})`;
}

/** The article's table in our words, filled with one scenario's figures, and what they say. */
export interface ComparisonTable {
  readonly columns: readonly [string, string, string];
  readonly rows: readonly (readonly [string, string, string])[];
  readonly verdict: string;
}

export function comparisonTable(c: Extract<ModeComparison, { ok: true }>): ComparisonTable {
  const { cow, eager } = c;
  const saved = eager.bytesCopied - cow.bytesCopied;
  const rows: [string, string, string][] = [
    ['Idea', 'Share now; copy a page only when someone writes it', 'Duplicate every page at fork'],
    ['Cost at fork (your scenario)', `${pages(cow.copiedAtFork)} copied; ${cow.ptesAtFork} page-table entries`, `${pages(eager.copiedAtFork)} copied`],
    ['Pages copied in all', pages(cow.copies), pages(eager.copies)],
    ['Frames in use at the end', String(cow.framesAtEnd), String(eager.framesAtEnd)],
    ['Most frames in use at once', String(cow.peakFrames), String(eager.peakFrames)],
    ['Page faults', String(cow.faults), String(eager.faults)],
    ['Bet on', 'the copy staying mostly the same (optimistic)', 'the copy changing a lot (pessimistic)'],
    ['Fits best', 'copies that are mostly read, or soon replaced (fork + exec)', 'copies that will be rewritten almost entirely, isolated from the start'],
  ];
  const verdict =
    c.forks === 0
      ? 'This scenario never forks, so both modes copy nothing: add a fork to see the difference.'
      : saved > 0
        ? `Copy-on-write saved ${formatBytes(saved)} of copying here: ${pages(eager.copies - cow.copies)} that eager mode copied and nobody needed.`
        : saved === 0
          ? 'Here both modes copied the same: every shared page was written, so copy-on-write only postponed the work.'
          : `Here eager mode copied less (${formatBytes(-saved)}).`;
  return { columns: ['', 'Copy-on-write (what Linux does)', 'Full copy (eager)'], rows, verdict };
}

/** A Markdown page: the article's table in our words, with this scenario's figures. */
export function comparisonMarkdown(title: string, c: Extract<ModeComparison, { ok: true }>): string {
  const table = comparisonTable(c);
  return [
    `# Copy-on-write vs full copy: ${title}`,
    '',
    `|${table.columns.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`,
    '|---|---|---|',
    ...table.rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    table.verdict,
    '',
  ].join('\n');
}
