// Sizes in messages about limits. Apart from limits.ts so that reading a limit (the formatter
// does, in the extension's entry bundle) does not load the engine's explanations.
import { bytes as formatBytes } from '../engine/explain';
import { PAGE_SIZE } from '../engine/types';

/** "16 GiB" for a page count — used in messages about sizes. */
export function describeBytes(pages: number): string {
  return formatBytes(pages * PAGE_SIZE);
}
