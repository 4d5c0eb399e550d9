// A persistent vector of small integers: a 32-way trie whose nodes are shared between
// versions and copied only when a version that does not own them writes — copy-on-write
// inside the engine, which is what lets every step of a scenario stay readable cheaply.
//
// Absent subtrees stand for runs of zeros, so a table nobody touched costs one pointer, and
// the trie is only as tall as its highest non-zero index needs (it grows on demand), so a
// small scenario copies two short nodes per change however large the vector may become.
// Each node counts its non-zero entries: "how many frames are allocated" is O(1) and
// "lowest free frame" a short descent.

import { Branch, BITS, capacity, diffNodes, firstZeroIn, isLeaf, Leaf, lift, lookup, MASK, TrieNode, uniformLeaf, walk, WIDTH, zeroLeafData } from './trie';

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

/**
 * The branches from the root down to a leaf. Reset by its length, not by emptying the array:
 * `array.length = 0` drops V8's backing store, and pushing again reallocates it every time.
 */
class Path {
  readonly nodes: Branch[] = [];
  length = 0;

  push(b: Branch): void {
    this.nodes[this.length++] = b;
  }

  /** Adds `delta` to the non-zero count of every branch on the path. */
  count(delta: number): void {
    for (let k = 0; k < this.length; k++) (this.nodes[k] as Branch).nonZero += delta;
  }

  last(): Branch | undefined {
    return this.length > 0 ? this.nodes[this.length - 1] : undefined;
  }
}

/** One remembered leaf with the branches above it, so neighbouring writes skip the descent. */
class LeafCache {
  base = -1;
  leaf: Leaf | null = null;
  readonly path = new Path();
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
  /** The branches above the block fill() is writing (reused from block to block). */
  private readonly fillPath = new Path();
  /**
   * A run of entries set by fillZeros and not yet written into the trie: pendCount entries from
   * pendFrom, each pendValue. Runs that follow each other grow one run, written by one fill()
   * when something needs the trie (flush): a run of frames allocated table after table then
   * costs whole shared blocks, not a half-filled leaf made and dropped at every block boundary.
   */
  private pendFrom = 0;
  private pendCount = 0;
  private pendValue = 0;

  constructor(
    readonly size: number,
    private height: number,
    private root: TrieNode | null,
    private readonly token: number,
  ) {}

  get nonZero(): number {
    return (this.root === null ? 0 : this.root.nonZero) + this.pendCount;
  }

  get(i: number): number {
    if ((i - this.pendFrom) >>> 0 < this.pendCount) return this.pendValue;
    const base = i - (i & MASK);
    for (let k = 0; k < this.caches.length; k++) {
      const c = this.caches[k] as LeafCache;
      if (c.base === base && c.leaf) return c.leaf.data[i & MASK] as number;
    }
    return i < 0 || i >= this.size ? 0 : lookup(this.root, this.height, i);
  }

  set(i: number, value: number): void {
    this.write(i, value, false);
  }

  /** Adds `delta` to entry i; returns the new value. (One look-up of the leaf, not get's and set's.) */
  add(i: number, delta: number): number {
    return this.write(i, delta, true);
  }

  /** Entry i becomes `v`, or its value plus `v` when `relative`; returns the new value. */
  private write(i: number, v: number, relative: boolean): number {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`index ${i} outside 0..${this.size - 1}`);
    if ((i - this.pendFrom) >>> 0 < this.pendCount) this.flush();
    const c = this.cached(i);
    const leaf = c.leaf as Leaf;
    const slot = i & MASK;
    const old = leaf.data[slot] as number;
    const value = relative ? old + v : v;
    leaf.data[slot] = value;
    if ((old === 0) !== (value === 0)) {
      // A zero/non-zero transition changes the counts all the way up.
      const delta = value === 0 ? -1 : 1;
      leaf.nonZero += delta;
      c.path.count(delta);
    }
    return value;
  }

  /** Lowest index >= from whose entry is zero, or -1 if none below size. */
  firstZero(from = 0): number {
    if (from >= this.size) return -1;
    this.flush();
    if (this.root === null || from >= capacity(this.height)) return from;
    const found = firstZeroIn(this.root, this.height, 0, from);
    const at = found === Infinity ? capacity(this.height) : found;
    return at < this.size ? at : -1;
  }

  forEachNonZero(fn: (index: number, value: number) => void, from = 0, to = this.size - 1): void {
    this.flush();
    if (this.root !== null && from <= to) walk(this.root, this.height, 0, from, to, fn);
  }

  /**
   * Sets entries from..from+count-1, every one of them zero now (the caller knows: zeroRun said
   * so), to `value`: fill() as if called now, but run after run that follow each other are
   * written into the trie together, when it is next read or changed there (see pendFrom).
   */
  fillZeros(from: number, count: number, value: number): void {
    const end = from + count;
    if (!(from >= 0 && count >= 0 && end <= this.size)) throw new RangeError(`range ${from}..${end - 1} outside 0..${this.size - 1}`);
    if (count === 0 || value === 0) return;
    if (this.pendCount !== 0 && from === this.pendFrom + this.pendCount && value === this.pendValue) {
      this.pendCount += count;
      return;
    }
    this.flush();
    this.pendFrom = from;
    this.pendCount = count;
    this.pendValue = value;
  }

  /** Writes the pending run of fillZeros into the trie. */
  private flush(): void {
    if (this.pendCount === 0) return;
    const from = this.pendFrom;
    const count = this.pendCount;
    this.pendCount = 0;
    this.fill(from, count, this.pendValue);
  }

  /**
   * Sets entries from..from+count-1 to `value`. A block of WIDTH entries it covers whole gets a
   * leaf shared with every other block filled with the same value (owned by no token, so the
   * first write to one copies it): a bulk allocation of frames then costs one pointer per block.
   */
  fill(from: number, count: number, value: number): void {
    const end = from + count;
    if (!(from >= 0 && count >= 0 && end <= this.size)) throw new RangeError(`range ${from}..${end - 1} outside 0..${this.size - 1}`);
    this.flush();
    let i = from;
    while (i < end) {
      const base = i - (i & MASK);
      const stop = Math.min(base + WIDTH, end);
      this.growFor(base + WIDTH - 1);
      if (i !== base || stop !== base + WIDTH || value === 0 || this.height === 0) {
        // Part of a block: write its leaf in place, adjusting the counts once.
        const c = this.cached(i);
        const leaf = c.leaf as Leaf;
        let delta = 0;
        for (; i < stop; i++) {
          const old = leaf.data[i & MASK] as number;
          leaf.data[i & MASK] = value;
          delta += (value === 0 ? 0 : 1) - (old === 0 ? 0 : 1);
        }
        if (delta !== 0) {
          leaf.nonZero += delta;
          c.path.count(delta);
        }
        // A block this fill completed (it began in the fill before) becomes the shared leaf too.
        const parent = c.path.last();
        if (parent && value !== 0 && leaf.nonZero === WIDTH && allEqual(leaf.data, value)) {
          parent.kids[(base >>> BITS) & MASK] = uniformLeaf(value);
          c.base = -1;
        }
        continue;
      }
      const path = this.fillPath;
      path.length = 0;
      const parent = this.ownedBranchAbove(base, path);
      const k = (base >>> BITS) & MASK;
      const old = parent.kids[k] ?? null;
      const delta = WIDTH - (old === null ? 0 : old.nonZero);
      parent.kids[k] = uniformLeaf(value);
      path.count(delta);
      for (const c of this.caches) if (c.base === base) c.base = -1;
      i = base + WIDTH;
    }
  }

  /** How many entries from `from` on (at most `max`) are zero in a row. */
  zeroRun(from: number, max: number): number {
    const end = Math.min(from + max, this.size);
    if (this.pendCount !== 0 && from < this.pendFrom + this.pendCount && this.pendFrom < end) this.flush();
    let i = from;
    while (i < end) {
      if (this.root === null || i >= capacity(this.height)) return end - from;
      let node: TrieNode | null = this.root;
      let level = this.height;
      for (;;) {
        if (node === null || node.nonZero === 0) {
          const span = WIDTH ** (level + 1);
          i = i - (i % span) + span;
          break;
        }
        if (level === 0) {
          const d = (node as Leaf).data;
          for (let j = i & MASK; j < WIDTH && i < end; j++, i++) if (d[j] !== 0) return i - from;
          break;
        }
        node = (node as Branch).kids[(i >>> (level * BITS)) & MASK] ?? null;
        level--;
      }
    }
    return end - from;
  }

  freeze(): PVec {
    this.flush();
    for (const c of this.caches) {
      c.base = -1;
      c.leaf = null;
    }
    return PVec.of(this.size, this.height, this.root);
  }

  /** The cache slot holding i's leaf, owned by this token, loading it if needed. */
  private cached(i: number): LeafCache {
    const base = i - (i & MASK);
    for (let k = 0; k < this.caches.length; k++) {
      const c = this.caches[k] as LeafCache;
      if (c.base === base && c.leaf) return c;
    }
    const c = this.caches[this.nextVictim] as LeafCache;
    this.nextVictim ^= 1;
    c.path.length = 0;
    c.leaf = this.ownedLeaf(i, c.path);
    c.base = base;
    return c;
  }

  /** Walks to the leaf holding i, growing the trie if needed and copying every node this token does not own. */
  private ownedLeaf(i: number, path: Path): Leaf {
    this.growFor(i);
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

  /** Grows the trie until it can hold index i. */
  private growFor(i: number): void {
    while (i >= capacity(this.height)) {
      const kids = new Array<TrieNode | null>(WIDTH).fill(null);
      kids[0] = this.root;
      this.root = { owner: this.token, nonZero: this.root ? this.root.nonZero : 0, kids };
      this.height++;
      // The grown root changed the path of every cached leaf: forget them.
      for (const c of this.caches) c.base = -1;
    }
  }

  /** Walks to the branch just above i's leaf (height >= 1), copying every branch this token does not own. */
  private ownedBranchAbove(i: number, path: Path): Branch {
    let branch = this.own(this.root, false) as Branch;
    this.root = branch;
    for (let level = this.height; ; level--) {
      path.push(branch);
      if (level === 1) return branch;
      const k = (i >>> (level * BITS)) & MASK;
      const kid = this.own(branch.kids[k] ?? null, false) as Branch;
      branch.kids[k] = kid;
      branch = kid;
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

function allEqual(data: readonly number[], value: number): boolean {
  for (let j = 0; j < data.length; j++) if (data[j] !== value) return false;
  return true;
}

let nextToken = 1;
/** A fresh edit token: nodes owned by it belong to one transaction only. */
export function newToken(): number {
  return nextToken++;
}
