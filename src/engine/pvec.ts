// A persistent vector of 32-bit integers: a 64-way trie whose nodes are shared between
// versions and copied only when a version that does not own them writes — copy-on-write
// inside the engine, which is what lets every step of a scenario stay readable cheaply.
//
// Absent subtrees stand for runs of zeros, so a million-page region that nobody touched
// costs one pointer. Each node counts its non-zero entries; that makes "how many frames
// are allocated" O(1) and "lowest free frame" a short descent.

const BITS = 6;
const WIDTH = 1 << BITS; // 64
const MASK = WIDTH - 1;

interface Leaf {
  owner: number;
  nonZero: number;
  readonly data: Int32Array;
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

/** Height (levels above the leaves) needed for `size` entries. */
function heightFor(size: number): number {
  let h = 0;
  let cap = WIDTH;
  while (cap < size) {
    cap *= WIDTH;
    h++;
  }
  return h;
}

/** An immutable version. Edit it through `PVec.edit`, which returns a transient editor. */
export class PVec {
  private constructor(
    readonly size: number,
    private readonly height: number,
    /** @internal */ readonly root: TrieNode | null,
  ) {}

  static zeros(size: number): PVec {
    return new PVec(size, heightFor(size), null);
  }

  /** Number of entries that are not zero. */
  get nonZero(): number {
    return this.root === null ? 0 : this.root.nonZero;
  }

  get(i: number): number {
    if (i < 0 || i >= this.size) return 0;
    let node = this.root;
    for (let level = this.height; node !== null; level--) {
      if (level === 0) return (node as Leaf).data[i & MASK] ?? 0;
      node = (node as Branch).kids[(i >>> (level * BITS)) & MASK] ?? null;
    }
    return 0;
  }

  /** Calls `fn(index, value)` for every non-zero entry in ascending order, skipping empty subtrees. */
  forEachNonZero(fn: (index: number, value: number) => void, from = 0, to = this.size - 1): void {
    if (this.root === null || from > to) return;
    walk(this.root, this.height, 0, from, to, fn);
  }

  /** Calls `fn(base, data)` for every allocated leaf holding a non-zero entry; `data` must not be written. */
  forEachLeaf(fn: (base: number, data: Int32Array) => void): void {
    if (this.root !== null) leaves(this.root, this.height, 0, fn);
  }

  /** Starts a transient edit owned by `token`; nodes already owned by `token` are written in place. */
  edit(token: number): PVecEditor {
    return new PVecEditor(this.size, this.height, this.root, token);
  }

  /** @internal */ static of(size: number, height: number, root: TrieNode | null): PVec {
    return new PVec(size, height, root);
  }
}

function leaves(node: TrieNode, level: number, base: number, fn: (base: number, data: Int32Array) => void): void {
  if (node.nonZero === 0) return;
  if (isLeaf(node)) {
    fn(base, node.data);
    return;
  }
  const span = 1 << (level * BITS);
  for (let k = 0; k < WIDTH; k++) {
    const kid = node.kids[k];
    if (kid) leaves(kid, level - 1, base + k * span, fn);
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
  const span = 1 << (level * BITS);
  for (let k = 0; k < WIDTH; k++) {
    const kidBase = base + k * span;
    if (kidBase > to) return;
    if (kidBase + span - 1 < from) continue;
    const kid = node.kids[k];
    if (kid) walk(kid, level - 1, kidBase, from, to, fn);
  }
}

/**
 * A transient, single-owner view of a PVec. Writes copy a node the first time this editor
 * touches it (unless `token` already owns it) and write in place afterwards.
 * Call `freeze()` to get the new immutable version; do not use the editor after that
 * with the same token on a version someone else keeps.
 */
export class PVecEditor {
  private root: TrieNode | null;
  private readonly path: Branch[] = [];
  // Cache of the last leaf written, for runs of writes to neighbouring indexes (fork, range writes).
  private cacheBase = -1;
  private cacheLeaf: Leaf | null = null;

  constructor(
    readonly size: number,
    private readonly height: number,
    root: TrieNode | null,
    private readonly token: number,
  ) {
    this.root = root;
  }

  get nonZero(): number {
    return this.root === null ? 0 : this.root.nonZero;
  }

  get(i: number): number {
    const leafBase = i & ~MASK;
    if (leafBase === this.cacheBase && this.cacheLeaf !== null) return this.cacheLeaf.data[i & MASK] as number;
    let node = this.root;
    for (let level = this.height; node !== null; level--) {
      if (level === 0) return (node as Leaf).data[i & MASK] ?? 0;
      node = (node as Branch).kids[(i >>> (level * BITS)) & MASK] ?? null;
    }
    return 0;
  }

  set(i: number, value: number): void {
    if (i < 0 || i >= this.size) throw new RangeError(`index ${i} outside 0..${this.size - 1}`);
    const leafBase = i & ~MASK;
    let leaf: Leaf;
    if (leafBase === this.cacheBase && this.cacheLeaf !== null) {
      leaf = this.cacheLeaf;
      const old = leaf.data[i & MASK] as number;
      if ((old === 0) === (value === 0)) {
        leaf.data[i & MASK] = value;
        return;
      }
      // A zero/non-zero transition changes counts along the path: take the slow path.
    }
    leaf = this.ownedLeaf(i);
    const slot = i & MASK;
    const old = leaf.data[slot] as number;
    leaf.data[slot] = value;
    const delta = (old === 0 ? 0 : -1) + (value === 0 ? 0 : 1);
    if (delta !== 0) {
      leaf.nonZero += delta;
      for (const b of this.path) b.nonZero += delta;
    }
    this.cacheBase = leafBase;
    this.cacheLeaf = leaf;
  }

  /** Adds `delta` to entry i; returns the new value. */
  add(i: number, delta: number): number {
    const v = this.get(i) + delta;
    this.set(i, v);
    return v;
  }

  /**
   * The owned data array of the leaf holding i, for tight loops that update entries in place.
   * The caller must not turn a zero entry non-zero or back (the counts would go stale).
   */
  leafData(i: number): Int32Array {
    const leaf = this.ownedLeaf(i);
    this.cacheBase = i & ~MASK;
    this.cacheLeaf = leaf;
    return leaf.data;
  }

  /** Lowest index >= from whose entry is zero, or -1 if none below size. */
  firstZero(from = 0): number {
    if (from >= this.size) return -1;
    const found = this.root === null ? from : firstZeroIn(this.root, this.height, 0, from);
    return found < this.size ? found : -1;
  }

  /** Same as PVec.forEachNonZero, on the current transient contents. */
  forEachNonZero(fn: (index: number, value: number) => void, from = 0, to = this.size - 1): void {
    if (this.root === null || from > to) return;
    walk(this.root, this.height, 0, from, to, fn);
  }

  freeze(): PVec {
    this.cacheLeaf = null;
    this.cacheBase = -1;
    return PVec.of(this.size, this.height, this.root);
  }

  /** Walks to the leaf holding i, copying every node on the way that this token does not own. */
  private ownedLeaf(i: number): Leaf {
    this.path.length = 0;
    if (this.height === 0) {
      this.root = this.own(this.root, true);
      return this.root as Leaf;
    }
    let branch = this.own(this.root, false) as Branch;
    this.root = branch;
    for (let level = this.height; ; level--) {
      this.path.push(branch);
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
        ? { owner: this.token, nonZero: 0, data: new Int32Array(WIDTH) }
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
  const span = 1 << (level * BITS);
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

let nextToken = 1;
/** A fresh edit token: nodes owned by it belong to one transaction only. */
export function newToken(): number {
  return nextToken++;
}
