// Numbers, sizes and plurals as CoW Lab prints them, in one place for the host (panel, editor
// features), the CLI, the tutorials and the webview. Pure functions with no imports: the webview
// may import only src/protocol/ and itself, so this is the one folder the glue and the webview
// both reach. The layers below the glue (engine, language, tutorial) may import only the engine,
// so they use the engine's own `bytes`/`plural`/`thousands` (src/engine/explain.ts), which the
// step explanations need anyway: two homes, one per side of the layering rules.

/** 1234567 → "1,234,567" (fixed, not the locale's: tests and explanations read the same everywhere; toLocaleString is also far slower). */
export function thousands(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** 4096 → "4 KiB", 65536 → "64 KiB", 1536 → "1.5 KiB", 1000 → "1,000 bytes". */
export function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = Number.isInteger(value) ? thousands(value) : value.toFixed(1);
  return `${unit === 0 ? thousands(n) : text} ${units[unit]}`;
}

/** (1, 'page') → "1 page", (4096, 'page') → "4,096 pages", (2, 'entry', 'entries') → "2 entries". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}
