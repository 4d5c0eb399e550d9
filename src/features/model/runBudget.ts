// How much work running a scenario is, before running it. The editor runs scenarios as the
// learner types, on the extension host's one thread; a scenario that writes a whole 16 GiB region
// is legal but takes seconds to run, and must not freeze the editor on every pause in typing.
// The cost counts page operations the engine performs, an upper bound read off the statements:
// the pages an access or an expectation selects, the pages of every region a fork copies entries
// for (copy_page_range walks them) or an exit or exec tears down (zap_pte_range).
import type { PageSelector, Program } from '../../language';

/** Page operations the editor runs without asking (about 0.1–0.25 s of engine time measured). */
export const RUN_AS_YOU_TYPE_BUDGET = 100_000;

type Space = Map<string, number>;

/** An upper bound on the page operations a run of `program` performs. */
export function runCost(program: Program): number {
  const spaces = new Map<string, Space>();
  const pagesOf = (space: Space | undefined) => [...(space?.values() ?? [])].reduce((sum, pages) => sum + pages, 0);
  const selected = (process: string, selector: PageSelector): number => {
    if (selector.pages !== undefined) return selector.pages.last - selector.pages.first + 1;
    return spaces.get(process)?.get(selector.region.text) ?? 0;
  };
  let cost = 0;
  for (const s of program.statements) {
    cost += 1;
    switch (s.kind) {
      case 'process':
        spaces.set(s.name.text, new Map());
        break;
      case 'map':
        spaces.get(s.process.text)?.set(s.region.text, s.pages);
        break;
      case 'unmap':
        cost += spaces.get(s.process.text)?.get(s.region.text) ?? 0;
        spaces.get(s.process.text)?.delete(s.region.text);
        break;
      case 'read':
      case 'write':
      case 'madvise':
        cost += selected(s.process.text, s.target);
        break;
      case 'fork':
      case 'vfork': {
        const parent = spaces.get(s.process.text);
        cost += s.kind === 'fork' ? pagesOf(parent) : 0;
        spaces.set(s.child.text, s.kind === 'fork' ? new Map(parent) : (parent ?? new Map()));
        break;
      }
      case 'exec':
      case 'exit':
        cost += pagesOf(spaces.get(s.process.text));
        spaces.set(s.process.text, new Map());
        break;
      case 'expect':
        if (s.claim.kind === 'memory') cost += pagesOf(spaces.get(s.claim.process.text)); // walks every page the process maps
        else if (s.claim.kind !== 'counter' && s.claim.kind !== 'status' && s.claim.kind !== 'pipe-value') cost += selected(s.claim.target.process.text, s.claim.target.selector);
        break;
      default:
        break;
    }
  }
  return cost;
}
