// Numbers as a learner reads them, for the engine's messages (a module of its own, so that the
// lifecycle rules can word their refusals without loading the explanations).

/** 1234567 → "1,234,567" (toLocaleString is far slower, and this runs on every step). */
export function thousands(n: number): string {
  const s = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}
