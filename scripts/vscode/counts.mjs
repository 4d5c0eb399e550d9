// How every test layer reports to scripts/test-all.mjs: {passes, failures} as JSON in the file
// named by COW_LAB_COUNTS_FILE (unset when a layer runs on its own: then only the line is printed).
import { writeFileSync } from 'node:fs';

export const COUNTS_ENV = 'COW_LAB_COUNTS_FILE';

/** Prints `N passed, N failed` and records the counts for test-all. */
export function reportCounts(passes, failures) {
  console.log(`${passes} passed, ${failures} failed`);
  const file = process.env[COUNTS_ENV];
  if (file) writeFileSync(file, JSON.stringify({ passes, failures }));
}
