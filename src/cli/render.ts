// Text rendering for `cow-lab run`: each step with its explanation, and the page tables as an
// aligned table a learner can read in a terminal.
import type { Machine, PteView } from '../engine';
import { bytes } from '../protocol/format';
import type { Diagnostic, ExpectationResult, RunResult, Step } from '../language';

/** Present pages listed per region before the rest is summarised. */
const MAX_ROWS_PER_REGION = 32;
/** Pages of one region looked at per table, so a 16 GiB region costs milliseconds a step. */
const MAX_PAGES_SCANNED = 65_536;

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.line}:${d.range.col}: ${d.severity}: ${d.message}`;
}

export interface RenderOptions {
  /** Print the page tables after every step that changed memory. */
  readonly tables: boolean;
}

export function renderRun(file: string, source: readonly string[], run: RunResult, options: RenderOptions): string {
  const out: string[] = [`${file} — ${run.policy === 'cow' ? 'copy-on-write (Linux)' : 'eager copy at fork'}`, ''];
  for (const step of run.steps) out.push(renderStep(step, source, run, options));
  out.push(renderSummary(run));
  return out.join('\n');
}

function renderStep(step: Step, source: readonly string[], run: RunResult, options: RenderOptions): string {
  const line = step.range.line;
  const text = (source[line - 1] ?? '').trim().replace(/\s+#.*$/, '');
  const number = String(line).padStart(4);
  const lines = [`${number}  ${text}`];
  if (step.expectation !== undefined) {
    lines.push(`      ${mark(step.expectation)} ${step.expectation.message}`);
  } else if (step.statement.kind === 'note') {
    lines.push(`      » ${step.explanation}`);
  } else {
    lines.push(...wrap(step.explanation, 92).map((l) => `      ${l}`));
    if (step.eventsOmitted > 0) lines.push(`      (${step.eventsOmitted} more events not listed)`);
  }
  if (options.tables && step.operation !== undefined && step.operation.op !== 'spawn') {
    lines.push('', indent(renderPageTables(run.timeline.at(step.state)), 6));
  }
  lines.push('');
  return lines.join('\n');
}

function mark(e: ExpectationResult): string {
  return e.question ? '?' : e.passed ? '✓' : '✗';
}

export function renderSummary(run: RunResult): string {
  const s = run.timeline.latest.stats;
  const passed = run.expectations.filter((e) => e.passed && !e.question).length;
  const failed = run.expectations.filter((e) => !e.passed).length;
  const questions = run.expectations.filter((e) => e.question).length;
  const parts = [`${passed} passed`, `${failed} failed`];
  if (questions > 0) parts.push(`${questions} question${questions === 1 ? '' : 's'}`);
  return [
    `Frames in use ${s.frames} (peak ${s.peakFrames}) · copies ${s.copies} (${bytes(s.bytesCopied)}) · faults ${s.faults} · reuses ${s.reuses} · zero-page maps ${s.zeroMaps} · PTEs copied at fork ${s.ptesCopied}`,
    `Expectations: ${parts.join(', ')}`,
    '',
  ].join('\n');
}

/** Every live process's regions, one row per present page and one per run of absent pages. */
export function renderPageTables(m: Machine): string {
  const rows: string[][] = [['process', 'region', 'page', 'frame', 'maps', 'entry', 'value']];
  for (const process of m.processes()) {
    if (process.status === 'exited') continue;
    const regions = m.regions(process.name);
    const who = process.borrowsFrom !== null ? `${process.name} (borrows ${process.borrowsFrom})` : process.status === 'suspended' ? `${process.name} (suspended)` : process.name;
    if (regions.length === 0) {
      rows.push([who, '(no regions)', '', '', '', '', '']);
      continue;
    }
    for (const region of regions) {
      const label = `${region.name} (${region.kind})`;
      let listed = 0;
      let page = 0;
      const scanned = Math.min(region.pages, MAX_PAGES_SCANNED);
      while (page < scanned) {
        const pte = m.pte(process.name, region.name, page);
        if (!pte.present) {
          let end = page;
          while (end + 1 < scanned && sameAbsence(m.pte(process.name, region.name, end + 1), pte)) end += 1;
          rows.push([who, label, end === page ? `${page}` : `${page}..${end}`, '—', '', pte.hole ? 'hole (MADV_DONTFORK)' : 'not present', '']);
          page = end + 1;
          continue;
        }
        if (listed === MAX_ROWS_PER_REGION) {
          rows.push([who, label, `${page}..${region.pages - 1}`, '…', '', 'more pages not listed', '']);
          break;
        }
        rows.push([who, label, `${page}`, ...describeEntry(m, pte)]);
        listed += 1;
        page += 1;
      }
      if (page === scanned && scanned < region.pages) rows.push([who, label, `${scanned}..${region.pages - 1}`, '…', '', 'not shown (large region: see --json)', '']);
    }
  }
  if (rows.length === 1) return '(no processes)';
  return alignColumns(rows);
}

function sameAbsence(a: PteView, b: PteView): boolean {
  return !a.present && !b.present && a.hole === b.hole;
}

function describeEntry(m: Machine, pte: PteView): string[] {
  if (pte.frame === 'zero') return ['zero', '', 'read-only, the shared zero page', '""'];
  if (typeof pte.frame !== 'number') return ['—', '', 'not present', ''];
  const frame = m.frame(pte.frame);
  const entry = pte.writable ? 'writable' : pte.cow ? 'read-only, CoW' : 'read-only';
  const value = frame?.value ?? '';
  return [`${pte.frame}`, `${frame?.mapCount ?? 0}`, pte.shared ? `${entry}, shared` : entry, JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value)];
}

/** Left-aligned columns, a blank first repeated cell so each process and region is named once. */
function alignColumns(rows: readonly string[][]): string {
  const shown = rows.map((row, i) => {
    const previous = rows[i - 1];
    if (i < 2 || previous === undefined) return row;
    return row.map((cell, c) => (c < 2 && cell === previous[c] && (c === 0 || row[0] === previous[0]) ? '' : cell));
  });
  const widths = (shown[0] ?? []).map((_, c) => Math.max(...shown.map((row) => (row[c] ?? '').length)));
  return shown.map((row) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}
