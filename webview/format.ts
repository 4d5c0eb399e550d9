// Numbers and sizes as the panel prints them.

/** 1234567 → "1,234,567" (fixed, not the locale's: the tests and the explanations read the same). */
export function thousands(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** 4096 → "4 KiB", 65536 → "64 KiB", 1536 → "1.5 KiB". */
export function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${unit === 0 ? thousands(n) : text} ${units[unit]}`;
}

/** "page 7" or "pages 10–999,999". */
export function pageRange(first: number, last: number): string {
  return first === last ? thousands(first) : `${thousands(first)}–${thousands(last)}`;
}

/** "#5" or "#5–#1,000,004". */
export function frameRange(first: number, last: number): string {
  return first === last ? `#${thousands(first)}` : `#${thousands(Math.min(first, last))}–#${thousands(Math.max(first, last))}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}
