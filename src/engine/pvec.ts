// A persistent vector of small integers: a 32-way trie whose nodes are shared between
// versions and copied only when a version that does not own them writes — copy-on-write
// inside the engine, which is what lets every step of a scenario stay readable cheaply.
//
// Absent subtrees stand for runs of zeros, so a table nobody touched costs one pointer, and
// the trie is only as tall as its highest non-zero index needs (it grows on demand), so a
// small scenario copies two short nodes per change however large the vector may become.
// Each node counts its non-zero entries: "how many frames are allocated" is O(1) and
// "lowest free frame" a short descent.

const BITS = 5;
const WIDTH = 1 << BITS; // 32
const MASK = WIDTH - 1;

// Leaves are plain arrays of small integers rather than Int32Arrays: V8 copies a short
// packed-SMI array several times faster than it allocates a typed array. 32-way rather than
// 64-way: a step copies a path of shorter nodes (bench: fork about 4x, faults about 1.3x faster).
interface Leaf {
  owner: number;
  nonZero: number;
  readonly data: number[];
}
interface Branch {
  owner: number;
  nonZero: number;
  readonly kids: (TrieNode | null)[];
}
type TrieNode = Leaf | Branch;

function isLeaf(n: TrieNode): n is Leaf {
  return (n as Leaf).data !== undefined;
}

/**
 * Entries a trie of each height holds (WIDTH^(height+1)), up to the 2^31 indexes the shifts
 * below can address; a table, as Math.pow is slow on hot paths.
 */
const CAPACITY = Array.from({ length: Math.ceil(31 / BITS) }, (_, h) => 2 ** (BITS * (h + 1)));
function capacity(height: number): number {
  return CAPACITY[height] ?? Infinity;
}

function lookup(root: TrieNode | null, height: number, i: number): number {
  if (i >= capacity(height)) return 0;
  let node = root;
  for (let level = height; node !== null; level--) {
    if (level === 0) return (node as Leaf).data[i & MASK] as number;
    node = (node as Branch).kids[(i >>> (level * BITS)) & MASK] ?? null;
  }
  return 0;
}

/** An immutable version. Edit it through `edit`, which returns a transient editor. */
export class PVec {
  private constructor(
    /** Valid indexes are 0..size-1. */
    readonly size: number,
    private readonly height: number,
    private readonly root: TrieNode | null,
  ) {}

  static zeros(size: number): PVec {
    return new PVec(size, 0, null);
  }

  /** Number of entries that are not zero. */
  get nonZero(): number {
    return this.root === null ? 0 : this.root.nonZero;
  }

  get(i: number): number {
    return i < 0 || i >= this.size ? 0 : lookup(this.root, this.height, i);
  }

  /** Calls `fn(index, value)` for every non-zero entry in ascending order, skipping empty subtrees. */
  forEachNonZero(fn: (index: number, value: number) => void, from = 0, to = this.size - 1): void {
    if (this.root !== null && from <= to) walk(this.root, this.height, 0, from, to, fn);
  }

  /**
   * Calls `fn(index, mine, theirs)` for every index whose entry differs between this version and
   * `other`, in ascending order. Subtrees the two versions share (the same node) are skipped, so
   * two versions one step apart cost what that step changed, not their size. `fn` returning
   * false stops the walk.
   */
  forEachDifference(other: PVec, fn: (index: number, mine: number, theirs: number) => boolean | void): void {
    const height = Math.max(this.height, other.height);
    const stop = { stopped: false };
    diffNodes(lift(this.root, this.height, height), lift(other.root, other.height, height), height, 0, (i, a, b) => {
      if (!stop.stopped && fn(i, a, b) === false) stop.stopped = true;
    }, stop);
  }

  /** Starts a transient edit owned by `token`; nodes already owned by `token` are written in place. */
  edit(token: number): PVecEditor {
    return new PVecEditor(this.size, this.height, this.root, token);
  }

  /** @internal */ static of(size: number, height: number, root: TrieNode | null): PVec {
    return new PVec(size, height, root);
  }
}

function walk(node: TrieNode, level: number, base: number, from: number, to: number, fn: (i: number, v: number) => void): void {
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
function lift(root: TrieNode | null, height: number, to: number): TrieNode | null {
  let node = root;
  for (let h = height; h < to && node !== null; h++) {
    const kids = new Array<TrieNode | null>(WIDTH).fill(null);
    kids[0] = node;
    node = { owner: 0, nonZero: node.nonZero, kids };
  }
  return node;
}

function diffNodes(a: TrieNode | null, b: TrieNode | null, level: number, base: number, fn: (i: number, mine: number, theirs: number) => void, stop: { stopped: boolean }): void {
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

/** One remembered leaf with the branches above it, so neighbouring writes skip the descent. */
class LeafCache {
  base = -1;
  leaf: Leaf | null = null;
  readonly path: Branch[] = [];
}

/**
 * A transient, single-owner view of a PVec. Writes copy a node the first time this editor
 * touches it (unless `token` already owns it) and write in place afterwards. Call
 * `freeze()` for the new immutable version, and stop editing with this token afterwards if
 * the frozen version is kept.
 */
export class PVecEditor {
  // Two cached leaves: fault storms alternate between an old frame and a new one.
  private readonly caches = [new LeafCache(), new LeafCache()];
  private nextVictim = 0;

  constructor(
    readonly size: number,
    private height: number,
    private root: TrieNode | null,
    private readonly token: number,
  ) {}

  get nonZero(): number {
    return this.root === null ? 0 : this.root.nonZero;
  }

  get(i: number): number {
    const base = i - (i & MASK);
    for (const c of this.caches) if (c.base === base && c.leaf) return c.leaf.data[i & MASK] as number;
    return i < 0 || i >= this.size ? 0 : lookup(this.root, this.height, i);
  }

  set(i: number, value: number): void {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`index ${i} outside 0..${this.size - 1}`);
    const c = this.cached(i);
    const leaf = c.leaf as Leaf;
    const slot = i & MASK;
    const old = leaf.data[slot] as number;
    leaf.data[slot] = value;
    if ((old === 0) !== (value === 0)) {
      // A zero/non-zero transition changes the counts all the way up.
      const delta = value === 0 ? -1 : 1;
      leaf.nonZero += delta;
      for (const b of c.path) b.nonZero += delta;
    }
  }

  /** Adds `delta` to entry i; returns the new value. */
  add(i: number, delta: number): number {
    const v = this.get(i) + delta;
    this.set(i, v);
    return v;
  }

  /** Lowest index >= from whose entry is zero, or -1 if none below size. */
  firstZero(from = 0): number {
    if (from >= this.size) return -1;
    if (this.root === null || from >= capacity(this.height)) return from;
    const found = firstZeroIn(this.root, this.height, 0, from);
    const at = found === Infinity ? capacity(this.height) : found;
    return at < this.size ? at : -1;
  }

  forEachNonZero(fn: (index: number, value: number) => void, from = 0, to = this.size - 1): void {
    if (this.root !== null && from <= to) walk(this.root, this.height, 0, from, to, fn);
  }

  freeze(): PVec {
    for (const c of this.caches) {
      c.base = -1;
      c.leaf = null;
    }
    return PVec.of(this.size, this.height, this.root);
  }

  /** The cache slot holding i's leaf, owned by this token, loading it if needed. */
  private cached(i: number): LeafCache {
    const base = i - (i & MASK);
    for (const c of this.caches) if (c.base === base && c.leaf) return c;
    const c = this.caches[this.nextVictim] as LeafCache;
    this.nextVictim ^= 1;
    c.path.length = 0;
    c.leaf = this.ownedLeaf(i, c.path);
    c.base = base;
    return c;
  }

  /** Walks to the leaf holding i, growing the trie if needed and copying every node this token does not own. */
  private ownedLeaf(i: number, path: Branch[]): Leaf {
    while (i >= capacity(this.height)) {
      const kids = new Array<TrieNode | null>(WIDTH).fill(null);
      kids[0] = this.root;
      this.root = { owner: this.token, nonZero: this.root ? this.root.nonZero : 0, kids };
      this.height++;
      // The grown root changed the path of every cached leaf: forget them.
      for (const c of this.caches) c.base = -1;
    }
    if (this.height === 0) {
      this.root = this.own(this.root, true);
      return this.root as Leaf;
    }
    let branch = this.own(this.root, false) as Branch;
    this.root = branch;
    for (let level = this.height; ; level--) {
      path.push(branch);
      const k = (i >>> (level * BITS)) & MASK;
      const kid = this.own(branch.kids[k] ?? null, level === 1);
      branch.kids[k] = kid;
      if (level === 1) return kid as Leaf;
      branch = kid as Branch;
    }
  }

  private own(node: TrieNode | null, leaf: boolean): TrieNode {
    if (node === null) {
      return leaf
        ? { owner: this.token, nonZero: 0, data: zeroLeafData() }
        : { owner: this.token, nonZero: 0, kids: new Array<TrieNode | null>(WIDTH).fill(null) };
    }
    if (node.owner === this.token) return node;
    return isLeaf(node)
      ? { owner: this.token, nonZero: node.nonZero, data: node.data.slice() }
      : { owner: this.token, nonZero: node.nonZero, kids: node.kids.slice() };
  }
}

function firstZeroIn(node: TrieNode, level: number, base: number, from: number): number {
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

/** A packed (not holey) array of WIDTH zeros: V8 keeps it in its fastest element kind. */
function zeroLeafData(): number[] {
  const d: number[] = [];
  for (let j = 0; j < WIDTH; j++) d.push(0);
  return d;
}

let nextToken = 1;
/** A fresh edit token: nodes owned by it belong to one transaction only. */
export function newToken(): number {
  return nextToken++;
}
