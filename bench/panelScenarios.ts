// The scenarios the panel benchmarks step through (bench/panelPaint.ts times them, and
// bench/panelTrace.ts says where a step's milliseconds go): a realistic 4,096-page heap, a
// worst case where no two neighbouring entries read alike, and a million-page region.
export const PAGES = 4096;
export const MEASURED_STEPS = 60;

/** A million-page heap: mapped, a few pages written, forked, then every page written (a million faults), then the child writes and exits. */
export const MILLION = `process parent
parent: map heap 1000000 private
parent: write heap[0..9] "a"
parent: fork child
child: write heap[5] "b"
parent: write heap "all"
child: write heap[100..199] "c"
parent: read heap[500000]
child: exit
`;

export function scenario(everyOther: boolean): string {
  const lines = ['process parent', `parent: map heap ${PAGES} private`, 'parent: write heap "data"', 'parent: fork child'];
  if (everyOther) for (let p = 0; p < PAGES; p += 2) lines.push(`child: write heap[${p}] "c${p}"`);
  else for (let i = 0; i < MEASURED_STEPS + 4; i++) lines.push(`child: write heap[${(i * 67) % PAGES}] "c${i}"`, `parent: write heap[${(i * 131 + 7) % PAGES}] "p${i}"`);
  return `${lines.join('\n')}\n`;
}
