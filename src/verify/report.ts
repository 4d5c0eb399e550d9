// Plain-text rendering of a verification: a verdict line, and for every difference a
// side-by-side table (process/region/page | engine | kernel) with the differing rows marked.

import type { Difference, Row } from './compare';
import type { VerifyReport } from './verify';

/** Most rows one table prints; the rest are counted. */
export const MAX_TABLE_ROWS = 48;

const MARK: Record<Row['mark'], string> = { ok: ' ', differs: '✗', tolerated: '~' };

/** Rows worth showing: every row of a (process, region) that has a difference, up to a limit. */
function rowsToShow(rows: readonly Row[]): { shown: Row[]; hidden: number } {
  const groupOf = (r: Row): string => r.where.split('/').slice(0, 2).join('/');
  const differing = new Set(rows.filter((r) => r.mark === 'differs').map(groupOf));
  const relevant = rows.filter((r) => r.mark !== 'ok' || differing.has(groupOf(r)));
  if (relevant.length <= MAX_TABLE_ROWS) return { shown: relevant, hidden: 0 };
  // Too many: keep the differing rows first, then context.
  const shown = relevant.filter((r) => r.mark === 'differs').slice(0, MAX_TABLE_ROWS);
  return { shown, hidden: relevant.length - shown.length };
}

export function renderTable(d: Difference, indent = '    '): string {
  const { shown, hidden } = rowsToShow(d.rows);
  const head = { where: 'process/region/page', engine: 'engine', kernel: 'kernel' };
  const w1 = Math.max(head.where.length, ...shown.map((r) => r.where.length));
  const w2 = Math.max(head.engine.length, ...shown.map((r) => r.engine.length));
  const lines = [`${indent}  ${head.where.padEnd(w1)} │ ${head.engine.padEnd(w2)} │ ${head.kernel}`];
  lines.push(`${indent}  ${'─'.repeat(w1)}─┼─${'─'.repeat(w2)}─┼─${'─'.repeat(Math.max(6, ...shown.map((r) => r.kernel.length)))}`);
  for (const r of shown) {
    lines.push(`${indent}${MARK[r.mark]} ${r.where.padEnd(w1)} │ ${r.engine.padEnd(w2)} │ ${r.kernel}${r.why && r.mark === 'differs' ? `   (${r.why})` : ''}`);
  }
  if (hidden > 0) lines.push(`${indent}  … ${hidden} more rows`);
  return lines.join('\n');
}

export function renderReport(file: string, report: VerifyReport): string {
  const out: string[] = [];
  switch (report.verdict) {
    case 'agrees':
      out.push(`${file}: the kernel agrees with the engine`);
      break;
    case 'disagrees':
      {
        const n = (report.comparison?.differences.length ?? 0) + (report.storage?.differences.length ?? 0) + (report.storage?.cleanup.length ?? 0);
        out.push(`${file}: the kernel DISAGREES with the engine (${n} difference${n === 1 ? '' : 's'})`);
      }
      break;
    case 'not-checked':
      out.push(`${file}: not checked on the kernel: ${report.reason ?? ''}`);
      break;
    case 'invalid':
      out.push(`${file}: cannot verify: ${report.reason ?? ''}`);
      break;
  }
  const c = report.comparison;
  if (c) {
    out.push(`  compared ${c.actionsCompared} action${c.actionsCompared === 1 ? '' : 's'}, ${c.checkpointsCompared} checkpoint${c.checkpointsCompared === 1 ? '' : 's'}, ${c.pagesCompared} page entries`);
    for (const d of c.differences) {
      out.push(`  ${d.title}`);
      out.push(renderTable(d));
    }
    if (c.tolerated.length > 0) {
      const reasons = new Map<string, number>();
      for (const t of c.tolerated) reasons.set(t.why, (reasons.get(t.why) ?? 0) + 1);
      for (const [why, n] of reasons) out.push(`  tolerated ×${n}: ${why}`);
    }
    for (const n of c.notChecked) out.push(`  not checked: ${n}`);
  }
  const st = report.storage;
  if (st !== undefined) {
    out.push(st.verdict === 'not-checked' ? `  storage: not checked: ${st.reason ?? ''}` : `  storage: ${st.verdict === 'agrees' ? 'real btrfs/xfs/ext4/overlayfs agree' : 'real file systems DISAGREE'} — ${st.checkpoints} checkpoint${st.checkpoints === 1 ? '' : 's'}, ${st.blocksCompared} file blocks compared (FIEMAP)`);
    for (const d of st.differences) {
      out.push(`  ${d.title}`);
      out.push(renderTable({ line: d.line, title: d.title, rows: d.rows.map((r) => ({ ...r, mark: 'differs' as const })) }).replace('process/region/page', 'volume file[block]    '));
    }
    for (const problem of st.cleanup) out.push(`  cleanup: ${problem}`);
  }
  for (const n of report.rules ?? []) out.push(`  kernel rule: ${n}`);
  for (const n of report.notChecked ?? []) out.push(`  not checked: ${n}`);
  for (const n of report.plan?.notes ?? []) out.push(`  note: ${n}`);
  return `${out.join('\n')}\n`;
}
