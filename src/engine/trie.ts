// The nodes of PVec's trie (pvec.ts) and the walks over them that need no editor: look-up,
// visiting non-zero entries, differences between two versions, the first zero, and the shared
// leaves of equal entries that bulk fills point at.

export const BITS = 5;
export const WIDTH = 1 << BITS; // 32
export const MASK = WIDTH - 1;

// Leaves are plain arrays of small integers rather than Int32Arrays: V8 copies a short
// packed-SMI array several times faster than it allocates a typed array. 32-way rather than
// 64-way: a step copies a path of shorter nodes (bench: fork about 4x, faults about 1.3x faster).
export interface Leaf {
  owner: number;
  nonZero: number;
  readonly data: number[];
}
export interface Branch {
  owner: number;
  nonZero: number;
  readonly kids: (TrieNode | null)[];
}
export type TrieNode = Leaf | Branch;

export function isLeaf(n: TrieNode): n is Leaf {
  return (n as Leaf).data !== undefined;
}

/**
 * Entries a trie of each height holds (WIDTH^(height+1)), up to the 2^31 indexes the shifts
 * below can address; a table, as Math.pow is slow on hot paths.
 */
const CAPACITY = Array.from({ length: Math.ceil(31 / BITS) }, (_, h) => 2 ** (BITS * (h + 1)));
export function capacity(height: number): number {
  return CAPACITY[height] ?? Infinity;
}

export function lookup(root: TrieNode | null, height: number, i: number): number {
  if (i >= capacity(height)) return 0;
  let node = root;
  for (let level = height; node !== null; level--) {
    if (level === 0) return (node as Leaf).data[i & MASK] as number;
    node = (node as Branch).kids[(i >>> (level * BITS)) & MASK] ?? null;
  }
  return 0;
}

export function walk(node: TrieNode, level: number, base: number, from: number, to: number, fn: (i: number, v: number) => void): void {
  if (node.nonZero === 0) return;
  if (isLeaf(node)) {
    const lo = Math.max(from - base, 0);
    const hi = Math.min(to - base, MASK);
    const d = node.data;
    for (let j = lo; j <= hi; j++) {
      const v = d[j] as number;
      if (v !== 0) fn(base + j, v);
    }
    return;
  }
  const span = WIDTH ** level;
  for (let k = 0; k < WIDTH; k++) {
    const kidBase = base + k * span;
    if (kidBase > to) return;
    if (kidBase + span - 1 < from) continue;
    const kid = node.kids[k];
    if (kid) walk(kid, level - 1, kidBase, from, to, fn);
  }
}

/** A trie root seen at a greater height: branches whose first child is the root (what growing does). */
export function lift(root: TrieNode | null, height: number, to: number): TrieNode | null {
  let node = root;
  for (let h = height; h < to && node !== null; h++) {
    const kids = new Array<TrieNode | null>(WIDTH).fill(null);
    kids[0] = node;
    node = { owner: 0, nonZero: node.nonZero, kids };
  }
  return node;
}

export function diffNodes(a: TrieNode | null, b: TrieNode | null, level: number, base: number, fn: (i: number, mine: number, theirs: number) => void, stop: { stopped: boolean }): void {
  if (a === b || stop.stopped) return;
  if (a === null || b === null) {
    const only = (a ?? b) as TrieNode;
    walk(only, level, base, base, base + WIDTH ** (level + 1) - 1, a === null ? (i, v) => fn(i, 0, v) : (i, v) => fn(i, v, 0));
    return;
  }
  if (level === 0) {
    const da = (a as Leaf).data;
    const db = (b as Leaf).data;
    for (let j = 0; j < WIDTH; j++) if (da[j] !== db[j]) fn(base + j, da[j] as number, db[j] as number);
    return;
  }
  const span = WIDTH ** level;
  const ka = (a as Branch).kids;
  const kb = (b as Branch).kids;
  for (let k = 0; k < WIDTH && !stop.stopped; k++) diffNodes(ka[k] ?? null, kb[k] ?? null, level - 1, base + k * span, fn, stop);
}

export function firstZeroIn(node: TrieNode, level: number, base: number, from: number): number {
  if (isLeaf(node)) {
    for (let j = Math.max(from - base, 0); j < WIDTH; j++) if (node.data[j] === 0) return base + j;
    return Infinity;
  }
  const span = WIDTH ** level;
  for (let k = 0; k < WIDTH; k++) {
    const kidBase = base + k * span;
    if (kidBase + span - 1 < from) continue;
    const kid = node.kids[k];
    if (!kid) return Math.max(kidBase, from);
    if (kid.nonZero === span && kidBase >= from) continue; // full subtree
    const r = firstZeroIn(kid, level - 1, kidBase, from);
    if (r !== Infinity) return r;
  }
  return Infinity;
}

/** Leaves of WIDTH equal non-zero entries, by value, owned by no token (see PVecEditor.fill). */
const uniform = new Map<number, Leaf>();
const MAX_UNIFORM = 4096;

export function uniformLeaf(value: number): Leaf {
  let leaf = uniform.get(value);
  if (!leaf) {
    const data: number[] = [];
    for (let j = 0; j < WIDTH; j++) data.push(value);
    leaf = { owner: 0, nonZero: WIDTH, data };
    if (uniform.size < MAX_UNIFORM) uniform.set(value, leaf);
  }
  return leaf;
}

const ZEROS: readonly number[] = zerosOfLength(WIDTH);

/**
 * A packed (not holey) array of WIDTH zeros: V8 keeps it in its fastest element kind. A slice of
 * one made once: allocated at its final size, where pushing 32 zeros would grow (reallocate) the
 * array twice on the way (bench: those growths were a quarter of a bulk write's garbage).
 */
export function zeroLeafData(): number[] {
  return ZEROS.slice();
}

/** `length` zeros in a packed array of small integers (build once, then slice copies of it). */
export function zerosOfLength(length: number): number[] {
  const d: number[] = [];
  for (let j = 0; j < length; j++) d.push(0);
  return d;
}
