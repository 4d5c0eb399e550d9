// The sharing structure of a machine state: which pages share a frame, which are private,
// which map the zero page, which are absent, which are writable — with frame numbers replaced
// by letters given in reading order, so two runs that build the same structure through
// different frame numbers compare equal. Reverse exercises are graded on this.
import type { Machine, RegionKind } from '../engine';
import { listWords, pageName, plural } from './pages';

/** A page: a frame letter, `zero` (the shared zero page) or `absent`; and whether it is writable. */
export interface StructurePage {
  readonly frame: string;
  readonly writable: boolean;
}

export interface StructureRegion {
  readonly name: string;
  readonly kind: RegionKind;
  readonly pages: readonly StructurePage[];
}

export interface StructureProcess {
  readonly name: string;
  readonly regions: readonly StructureRegion[];
}

/** Live processes sorted by name, their regions sorted by name. */
export interface Structure {
  readonly processes: readonly StructureProcess[];
}

export const ZERO = 'zero';
export const ABSENT = 'absent';

/** Regions larger than this are not turned into structures (exercises use a handful of pages). */
export const MAX_STRUCTURE_PAGES = 4096;

export function structureOf(m: Machine): Structure {
  const letters = new Map<number, string>();
  const letter = (frame: number): string => {
    let l = letters.get(frame);
    if (l === undefined) {
      l = frameLetter(letters.size);
      letters.set(frame, l);
    }
    return l;
  };
  const live = m.processes().filter((p) => p.status !== 'exited').map((p) => p.name).sort();
  const processes = live.map((name) => ({
    name,
    regions: [...m.regions(name)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((r) => {
      const pages: StructurePage[] = [];
      for (let page = 0; page < Math.min(r.pages, MAX_STRUCTURE_PAGES); page += 1) {
        const pte = m.pte(name, r.name, page);
        const frame = pte.frame === null ? ABSENT : pte.frame === 'zero' ? ZERO : letter(pte.frame);
        pages.push({ frame, writable: pte.present && pte.writable });
      }
      return { name: r.name, kind: r.kind, pages };
    }),
  }));
  return { processes };
}

/** A, B, … Z, then F27, F28 … */
export function frameLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `F${index + 1}`;
}

/** One line per region: `parent  heap  private  A rw  B ro  0 ro  --`. */
export function renderStructure(s: Structure): string[] {
  const rows = s.processes.flatMap((p) =>
    p.regions.length === 0 ? [[p.name, '(no regions)', '', '']] : p.regions.map((r) => [p.name, r.name, r.kind, r.pages.map(cell).join('  ')]),
  );
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((text, c) => (c < 3 ? text.padEnd(widths[c] ?? 0) : text)).join('  ').trimEnd());
}

export const STRUCTURE_LEGEND = [
  'Same letter = the same physical frame; 0 = the shared zero page; -- = not present;',
  'rw = writable, ro = read-only (write-protected). Frame numbers and values do not matter.',
];

function cell(p: StructurePage): string {
  if (p.frame === ABSENT) return '-- ';
  const name = p.frame === ZERO ? '0' : p.frame;
  return `${name} ${p.writable ? 'rw' : 'ro'}`;
}

export interface StructureComparison {
  readonly same: boolean;
  /** What differs, in words, most important first (at most `limit`). */
  readonly differences: readonly string[];
}

/** Compares the learner's structure with the goal: processes, regions, then page by page. */
export function compareStructures(goal: Structure, got: Structure, limit = 8): StructureComparison {
  const differences: string[] = [];
  const goalNames = goal.processes.map((p) => p.name);
  const gotNames = got.processes.map((p) => p.name);
  const missing = goalNames.filter((n) => !gotNames.includes(n));
  const extra = gotNames.filter((n) => !goalNames.includes(n));
  if (missing.length > 0) differences.push(`${listWords(missing)} should be alive at the end`);
  if (extra.length > 0) differences.push(`${listWords(extra)} should not be alive at the end (exit it, or do not create it)`);
  const pageDiffs: string[] = [];
  for (const gp of goal.processes) {
    const yp = got.processes.find((p) => p.name === gp.name);
    if (!yp) continue;
    for (const gr of gp.regions) {
      const yr = yp.regions.find((r) => r.name === gr.name);
      if (!yr) {
        differences.push(`${gp.name} should have a ${gr.kind} region ${gr.name} of ${plural(gr.pages.length, 'page')}`);
        continue;
      }
      if (yr.kind !== gr.kind || yr.pages.length !== gr.pages.length) {
        differences.push(`${gp.name} ${gr.name} should be ${gr.kind} with ${plural(gr.pages.length, 'page')}, not ${yr.kind} with ${yr.pages.length}`);
        continue;
      }
      gr.pages.forEach((_page, i) => {
        const want = describeShape(goal, gp.name, gr.name, i);
        const have = describeShape(got, gp.name, gr.name, i);
        if (want !== have) pageDiffs.push(`${pageName(gp.name, gr.name, i)} should be ${want}, but yours is ${have}`);
      });
    }
    for (const yr of yp.regions) {
      if (!gp.regions.some((r) => r.name === yr.name)) differences.push(`${gp.name} should not have a region ${yr.name} at the end`);
    }
  }
  differences.push(...pageDiffs);
  return { same: differences.length === 0, differences: differences.slice(0, limit).concat(differences.length > limit ? [`… and ${differences.length - limit} more`] : []) };
}

/**
 * A page's shape in words, independent of letters: "not present", "the zero page, read-only",
 * "its own frame, writable", "a frame shared with child heap[1], read-only".
 */
export function describeShape(s: Structure, process: string, region: string, page: number): string {
  const here = s.processes.find((p) => p.name === process)?.regions.find((r) => r.name === region)?.pages[page];
  if (!here) return 'missing';
  const access = here.writable ? 'writable' : 'read-only';
  if (here.frame === ABSENT) return 'not present';
  if (here.frame === ZERO) return `the zero page, ${access}`;
  const others: string[] = [];
  for (const p of s.processes) {
    for (const r of p.regions) {
      r.pages.forEach((q, i) => {
        if (q.frame === here.frame && !(p.name === process && r.name === region && i === page)) others.push(pageName(p.name, r.name, i));
      });
    }
  }
  return others.length === 0 ? `its own frame, ${access}` : `a frame shared with ${listWords(others)}, ${access}`;
}
