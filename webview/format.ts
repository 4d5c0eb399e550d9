// Numbers and sizes as the panel prints them: the shared formatter (src/protocol/format.ts), and
// the page and frame ranges only the panel prints.
import { thousands } from '../src/protocol/format';

export { bytes, plural, thousands } from '../src/protocol/format';

/** "page 7" or "pages 10–999,999". */
export function pageRange(first: number, last: number): string {
  return first === last ? thousands(first) : `${thousands(first)}–${thousands(last)}`;
}

/** "#5" or "#5–#1,000,004". */
export function frameRange(first: number, last: number): string {
  return first === last ? `#${thousands(first)}` : `#${thousands(Math.min(first, last))}–#${thousands(Math.max(first, last))}`;
}
