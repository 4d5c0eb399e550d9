// The Variables view: per process its regions → pages (frame, flags, value, map count), the
// frames table, and the counters of both policies. Regions and the frames table are paged
// (`indexedVariables`): VS Code asks for the rows it shows, so a region of a million pages opens
// as fast as one of four. References are handed out per stop and dropped when the run moves.
// Pure: no `vscode`, no Node APIs (debug protocol types only).
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PAGE_SIZE, type FrameView, type Machine, type PteView, type Stats } from '../engine';
import { formatBytes } from '../engine';
import { COUNTERS, counterValue, STORAGE_COUNTERS } from '../language';
import type { Storage } from '../storage';

export type Container =
  | { readonly kind: 'process'; readonly process: string }
  | { readonly kind: 'region'; readonly process: string; readonly region: string; readonly pages: number }
  | { readonly kind: 'page'; readonly process: string; readonly region: string; readonly page: number }
  | { readonly kind: 'frames' }
  | { readonly kind: 'frame'; readonly frame: number }
  | { readonly kind: 'stats' }
  | { readonly kind: 'policy'; readonly which: 'own' | 'other' }
  | { readonly kind: 'step' };

export interface StepFacts {
  readonly position: number;
  readonly stepCount: number;
  readonly statement: string;
  readonly explanation: string;
  readonly policy: string;
}

/** References for one stop: ids from 1, cleared whenever the position changes. */
export class References {
  private readonly items: Container[] = [];
  private framesCache: readonly FrameView[] | undefined;

  add(container: Container): number {
    this.items.push(container);
    return this.items.length;
  }

  get(reference: number): Container | undefined {
    return this.items[reference - 1];
  }

  clear(): void {
    this.items.length = 0;
    this.framesCache = undefined;
  }

  /** The frames table of the stop, worked out once (a million frames is a few tens of ms). */
  frames(machine: Machine): readonly FrameView[] {
    this.framesCache ??= machine.frames();
    return this.framesCache;
  }
}

export interface VariableSource {
  readonly machine: Machine;
  /** The storage model's state, when the scenario has volumes. */
  readonly storage?: Storage;
  readonly other: () => Machine;
  readonly step: StepFacts;
}

type Variable = DebugProtocol.Variable;

function variable(name: string, value: string, reference = 0, extra: Partial<Variable> = {}): Variable {
  return { name, value, variablesReference: reference, ...extra };
}

/** The children of `container`, rows start..start+count of an indexed one. */
export function variablesOf(container: Container, refs: References, source: VariableSource, start = 0, count?: number): Variable[] {
  const m = source.machine;
  switch (container.kind) {
    case 'process':
      return processVariables(container.process, refs, m);
    case 'region': {
      const end = Math.min(container.pages, count === undefined || count === 0 ? container.pages : start + count);
      const out: Variable[] = [];
      for (let page = Math.max(0, start); page < end; page++) {
        const pte = m.pte(container.process, container.region, page);
        const ref = pte.present || pte.hole ? refs.add({ kind: 'page', process: container.process, region: container.region, page }) : 0;
        out.push(variable(`[${page}]`, pageSummary(m, pte), ref));
      }
      return out;
    }
    case 'page':
      return pageDetails(m, m.pte(container.process, container.region, container.page));
    case 'frames': {
      const frames = refs.frames(m);
      const end = Math.min(frames.length, count === undefined || count === 0 ? frames.length : start + count);
      const out: Variable[] = [];
      for (let i = Math.max(0, start); i < end; i++) {
        const f = frames[i] as FrameView;
        out.push(variable(`frame ${f.frame}`, frameSummary(f), refs.add({ kind: 'frame', frame: f.frame })));
      }
      return out;
    }
    case 'frame': {
      const f = m.frame(container.frame);
      if (!f) return [variable('frame', 'free at this step')];
      return [
        variable('mapCount', String(f.mapCount), 0, { type: 'number' }),
        variable('value', JSON.stringify(f.value)),
        variable('holder', f.shmem ? 'shared memory (shmem)' : 'anonymous memory'),
      ];
    }
    case 'stats': {
      const own = m.policy;
      const other = own === 'cow' ? 'eager' : 'cow';
      return [
        variable(`${own} (this scenario)`, statsSummary(m.stats), refs.add({ kind: 'policy', which: 'own' }), { namedVariables: COUNTERS.length }),
        variable(`${other} (same operations)`, statsSummary(source.other().stats), refs.add({ kind: 'policy', which: 'other' }), { namedVariables: COUNTERS.length }),
      ];
    }
    case 'policy': {
      const own = container.which === 'own';
      const prefix = own ? '' : `${m.policy === 'cow' ? 'eager' : 'cow'}.`;
      // The other policy replays memory operations only: no storage counters there.
      const counters = own && source.storage ? COUNTERS : COUNTERS.filter((c) => !STORAGE_COUNTERS.includes(c));
      return counters.map((c) => {
        const value = own ? counterValue(m, source.storage, c) : counterValue(source.other(), undefined, c);
        return variable(c, c === 'bytesCopied' ? `${value} (${formatBytes(value)})` : String(value), 0, { type: 'number', evaluateName: `${prefix}${c}` });
      });
    }
    case 'step': {
      const s = source.step;
      return [
        variable('position', s.position >= s.stepCount ? `end (all ${s.stepCount} steps ran)` : `before step ${s.position + 1} of ${s.stepCount}`),
        variable('next', s.statement),
        variable('explanation', s.explanation),
        // The panel beside the session shows this same step with its effect drawn, so its tables
        // are one statement ahead of the values above: say so where both are read.
        variable('panel', s.position >= s.stepCount ? 'shows the last step' : `shows step ${s.position + 1}: the tables after the next statement runs; the values here are before it`),
        variable('policy', s.policy),
      ];
    }
  }
}

function processVariables(process: string, refs: References, m: Machine): Variable[] {
  const p = m.process(process);
  if (!p) return [variable('status', 'not alive at this step')];
  const out: Variable[] = [
    variable('pid', String(p.pid), 0, { type: 'number' }),
    variable('status', p.status),
    variable('parent', p.parent ?? '(none)'),
  ];
  if (p.borrowsFrom) out.push(variable('borrows', `${p.borrowsFrom}'s address space (vfork): the regions below are its`));
  for (const r of m.regions(process)) {
    const ref = refs.add({ kind: 'region', process, region: r.name, pages: r.pages });
    out.push(variable(r.name, `${r.kind}, ${r.pages} page${r.pages === 1 ? '' : 's'} (${formatBytes(r.pages * PAGE_SIZE)})`, ref, { indexedVariables: r.pages, evaluateName: `${process} ${r.name}[0]` }));
  }
  return out;
}

/** `frame 7 · mapped 2× · read-only, copy-on-write · "original"` */
export function pageSummary(m: Machine, pte: PteView): string {
  if (pte.frame === null) return pte.hole ? 'not present (MADV_DONTFORK hole: access is SIGSEGV)' : 'not present';
  if (pte.frame === 'zero') return 'the zero page · read-only';
  const f = m.frame(pte.frame);
  const access = pte.writable ? 'writable' : pte.cow ? 'read-only, copy-on-write' : 'read-only';
  const value = f && f.value !== '' ? ` · ${JSON.stringify(f.value)}` : '';
  return `frame ${pte.frame} · mapped ${f?.mapCount ?? 0}× · ${access}${value}`;
}

function pageDetails(m: Machine, pte: PteView): Variable[] {
  const f = typeof pte.frame === 'number' ? m.frame(pte.frame) : undefined;
  const flag = (name: string, on: boolean, meaning: string): Variable => variable(name, `${on} (${meaning})`, 0, { type: 'boolean' });
  return [
    variable('frame', pte.frame === null ? 'none' : String(pte.frame)),
    flag('present', pte.present, 'the entry maps a frame'),
    flag('writable', pte.writable, 'a write goes straight through'),
    flag('cow', pte.cow, 'write-protected private page: the next write faults into do_wp_page'),
    flag('exclusive', pte.exclusive, 'mapped by this entry only (pagemap bit 56)'),
    flag('shared', pte.shared, 'MAP_SHARED region'),
    ...(pte.hole ? [flag('hole', true, 'MADV_DONTFORK hole inherited at fork')] : []),
    variable('mapCount', f ? String(f.mapCount) : pte.frame === 'zero' ? 'the zero page is not counted' : '0', 0, { type: 'number' }),
    variable('value', f ? JSON.stringify(f.value) : '""'),
  ];
}

function frameSummary(f: FrameView): string {
  const value = f.value !== '' ? ` · ${JSON.stringify(f.value)}` : '';
  return `mapped ${f.mapCount}×${f.shmem ? ' · shmem' : ''}${value}`;
}

function statsSummary(s: Stats): string {
  return `frames ${s.frames} · copies ${s.copies} · faults ${s.faults} · bytes copied ${formatBytes(s.bytesCopied)}`;
}
