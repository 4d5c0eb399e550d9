// How much work running a scenario is, before running it. The editor runs scenarios as the
// learner types, on the extension host's one thread; a scenario that writes a whole 16 GiB region
// is legal but takes seconds to run, and must not freeze the editor on every pause in typing.
// The cost counts page operations the engine performs, an upper bound read off the statements:
// the pages an access or an expectation selects, the pages of every region a fork copies entries
// for (copy_page_range walks them) or an exit or exec tears down (zap_pte_range). Which regions
// each process has at each statement comes from the engine's lifecycle rules (language/lifecycle.ts).
import type { PageSelector, Program } from '../../language';
// The modules themselves, not the barrels (which would load the parser and the whole engine).
import { applyStatement } from '../../language/lifecycle';
import { LifeModel, type RegionShape } from '../../engine/lifeModel';

/** An upper bound on the page operations a run of `program` performs. */
export function runCost(program: Program): number {
  const life = new LifeModel();
  const regionsOf = (process: string): ReadonlyMap<string, RegionShape> => {
    const p = life.get(process);
    return p ? life.spaceOf(p).regions : new Map();
  };
  const pagesOf = (process: string): number => [...regionsOf(process).values()].reduce((sum, r) => sum + r.pages, 0);
  const selected = (process: string, selector: PageSelector): number => {
    if (selector.pages !== undefined) return selector.pages.last - selector.pages.first + 1;
    return regionsOf(process).get(selector.region.text)?.pages ?? 0;
  };
  let cost = 0;
  for (const s of program.statements) {
    cost += 1;
    switch (s.kind) {
      case 'unmap':
        cost += regionsOf(s.process.text).get(s.region.text)?.pages ?? 0;
        break;
      case 'read':
      case 'write':
      case 'madvise':
        cost += selected(s.process.text, s.target);
        break;
      case 'fork':
      case 'exec':
      case 'exit':
        cost += pagesOf(s.process.text);
        break;
      case 'expect':
        if (s.claim.kind === 'memory') cost += pagesOf(s.claim.process.text); // walks every page the process maps
        else if (s.claim.kind !== 'counter' && s.claim.kind !== 'status' && s.claim.kind !== 'pipe-value') cost += selected(s.claim.target.process.text, s.claim.target.selector);
        break;
      default:
        break;
    }
    applyStatement(life, s, (map) => ({ name: map.region.text, pages: map.pages, kind: map.regionKind, ...(map.huge !== undefined ? { huge: true } : {}) }));
  }
  return cost;
}
