// "Did you mean …?" — the closest known word by edit distance, counting a swap of two
// neighbouring letters as one edit (haep → heap), so the typos people make rank first.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  // Three rolling rows: two back (for transpositions), previous, current.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[t.length] ?? 0;
}

/**
 * The candidate closest to `word`, if it is close enough to be the likely intent: at most one
 * edit for short words, two for words of five letters or more, and never the whole word. A
 * different capitalisation alone (Heap for heap) always matches.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  // Words longer than any name are not typos of one; skip the quadratic work.
  if (word.length > 80) return undefined;
  const allowed = word.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (Math.abs(candidate.length - word.length) > allowed) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance && d <= allowed && d < Math.max(word.length, candidate.length)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** " — did you mean 'heap'?" or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): { hint: string; suggestion?: string } {
  const match = closest(word, candidates);
  return match === undefined ? { hint: '' } : { hint: ` — did you mean '${match}'?`, suggestion: match };
}

/** "'a', 'b' or 'c'" for messages listing the allowed words. */
export function listWords(words: readonly string[]): string {
  const quoted = words.map((w) => `'${w}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
