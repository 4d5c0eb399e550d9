// The scenario behind an exercise, chosen by a seed: the same seed always gives the same text.
// A small world model keeps every generated statement valid (processes alive, pages in range)
// and picks events that teach something — a copy, a reuse, a zero-page write, a shared page,
// an exit that frees copies, a page spliced into a pipe (a reference that is not a mapping). It does not work out answers: the engine does (exercise.ts).

/** Seeds are whole numbers 0 … 2^32 − 1. */
export const MAX_SEED = 0xffffffff;

/** mulberry32: a tiny, well-mixed 32-bit generator; ample for choosing scenario shapes. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in lo..hi inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/** What a generated line is for: an operation, or a question (`expect … == ?`). */
export type GeneratedLine =
  | { readonly kind: 'op'; readonly text: string }
  | { readonly kind: 'question'; readonly text: string; readonly comment: string };

export interface GeneratedScenario {
  readonly policy: 'cow' | 'eager';
  /** Statements in order (the header comment is added by the caller). */
  readonly lines: readonly GeneratedLine[];
  /** The region the exercise is about, for reverse exercises' starter lines. */
  readonly heapPages: number;
  readonly board: boolean;
}

export interface GenerateOptions {
  /** Put `expect … == ?` questions after the interesting steps. */
  readonly questions: boolean;
  /** Smaller scenarios (reverse exercises: the learner must rebuild them). */
  readonly small: boolean;
}

interface Child {
  readonly name: string;
  /** Still has the address space it was forked with (not exited, not exec'd). */
  active: boolean;
  /** Pages of heap this child has written since its fork. */
  readonly wrote: Set<number>;
}

const PARENT = 'parent';

export function generateScenario(seed: number, options: GenerateOptions): GeneratedScenario {
  const rng = new Random(seed);
  const lines: GeneratedLine[] = [];
  const op = (text: string): void => void lines.push({ kind: 'op', text });
  const ask = (text: string, comment: string): void => {
    if (options.questions) lines.push({ kind: 'question', text, comment });
  };

  const policy = !options.small && rng.chance(0.15) ? 'eager' : 'cow';
  const pages = options.small ? rng.int(3, 5) : rng.int(4, 7);
  const board = rng.chance(options.small ? 0.2 : 0.35);
  const written = rng.int(2, pages - 2);
  const zeroPage = rng.chance(0.6) ? pages - 1 : undefined;

  op(`process ${PARENT}`);
  op(`${PARENT}: map heap ${pages} private`);
  if (board) op(`${PARENT}: map board 2 shared`);
  op(`${PARENT}: write heap[0..${written - 1}] "v1"`);
  if (zeroPage !== undefined) op(`${PARENT}: read heap[${zeroPage}]`);
  if (board) op(`${PARENT}: write board[0] "hello"`);
  ask('expect frames == ?', 'how many frames are in use now?');

  const children: Child[] = [{ name: 'child', active: true, wrote: new Set() }];
  op(`${PARENT}: fork child`);
  ask('expect copies == ?', 'how many pages has fork copied?');
  if (rng.chance(0.5)) {
    const p = rng.int(0, written - 1);
    ask(`expect child heap[${p}] frame == ?`, `which frame does child heap[${p}] use?`);
  }

  /** Pages the parent has written since the last fork (its entries there are writable again). */
  const parentWroteSinceFork = new Set<number>();
  let forks = 1;
  const events = options.small ? rng.int(2, 3) : rng.int(3, 5);
  for (let e = 0; e < events; e += 1) {
    const active = children.filter((c) => c.active);
    const menu: (() => void)[] = [];
    const child = active.length > 0 ? rng.pick(active) : undefined;
    if (child) {
      const sharedPages = range(written).filter((p) => !child.wrote.has(p));
      if (sharedPages.length > 0) {
        menu.push(() => {
          const p = rng.pick(sharedPages);
          child.wrote.add(p);
          op(`${child.name}: write heap[${p}] "${child.name}"`);
          if (rng.chance(0.5)) ask(`expect ${child.name} heap[${p}] frame == ?`, `which frame does ${child.name} heap[${p}] use now?`);
          else ask('expect copies == ?', 'how many pages have been copied so far?');
        });
        menu.push(() => {
          const p = rng.pick(sharedPages);
          parentWroteSinceFork.add(p);
          op(`${PARENT}: write heap[${p}] "v2"`);
          ask(`expect ${child.name} heap[${p}] == ?`, `what does ${child.name} read in heap[${p}] now?`);
        });
      }
      if (child.wrote.size > 0) {
        menu.push(() => {
          const p = rng.pick([...child.wrote]);
          op(`${child.name}: write heap[${p}] "${child.name} again"`);
          ask('expect faults == ?', 'how many page faults so far?');
        });
      }
      const untouched = range(pages).filter((p) => p >= written && !child.wrote.has(p));
      if (untouched.length > 0) {
        menu.push(() => {
          const p = rng.pick(untouched);
          child.wrote.add(p);
          op(`${child.name}: write heap[${p}] "${child.name}"`);
          ask(p === zeroPage ? 'expect copies == ?' : 'expect frames == ?', p === zeroPage ? 'how many pages have been copied so far?' : 'how many frames are in use now?');
        });
      }
      if (board) {
        menu.push(() => {
          op(`${child.name}: write board[0] "from ${child.name}"`);
          ask(`expect ${PARENT} board[0] == ?`, `what does ${PARENT} read in board[0]?`);
        });
      }
      menu.push(() => {
        child.active = false;
        op(`${child.name}: ${rng.chance(0.5) ? 'exit' : 'exec'}`);
        ask('expect frames == ?', 'how many frames are in use now?');
      });
    }
    if (forks < 2 && active.length < 2) {
      menu.push(() => {
        forks += 1;
        parentWroteSinceFork.clear();
        children.push({ name: 'child2', active: true, wrote: new Set() });
        op(`${PARENT}: fork child2`);
        ask('expect frames == ?', 'how many frames are in use now?');
      });
    }
    if (active.length === 0) {
      const protectedPages = range(written).filter((p) => !parentWroteSinceFork.has(p));
      if (protectedPages.length > 0) {
        menu.push(() => {
          const p = rng.pick(protectedPages);
          parentWroteSinceFork.add(p);
          op(`${PARENT}: write heap[${p}] "v3"`);
          ask('expect reuses == ?', 'how many write faults reused a frame in place so far?');
        });
      }
    }
    if (menu.length === 0) break;
    rng.pick(menu)();
  }
  // The vmsplice story, in some exercises: a pipe holds a reference, not a mapping; once the
  // child is gone the parent maps the page alone, yet its write copies (reference count 2).
  // Decided by a stream of its own, so the exercises without it are what they always were.
  const story = new Random(seed ^ 0x5bd1e995);
  const teller = children.find((c) => c.active);
  const shared = teller ? range(written).filter((p) => !teller.wrote.has(p) && !parentWroteSinceFork.has(p)) : [];
  if (!options.small && teller && shared.length > 0 && story.chance(0.4)) {
    const p = story.pick(shared);
    op(`${teller.name}: vmsplice heap[${p}] leak`);
    ask(`expect ${PARENT} heap[${p}] refcount == ?`, `how many references does the frame of ${PARENT} heap[${p}] have (mappings, pages in pipes, pins)?`);
    ask(`expect ${PARENT} heap[${p}] mapcount == ?`, 'how many page-table entries map it?');
    teller.active = false;
    op(`${teller.name}: exit`);
    op(`${PARENT}: write heap[${p}] "v2"`);
    ask('expect leak[0] == ?', 'what does the pipe read now?');
  }
  ask('expect frames == ?', 'how many frames are in use at the end?');
  ask('expect copies == ?', 'how many pages were copied in all?');
  return { policy, lines: dedupeQuestions(lines), heapPages: pages, board };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The same question twice with no operation in between says nothing new: keep the first. */
export function dedupeQuestions(lines: readonly GeneratedLine[]): GeneratedLine[] {
  const out: GeneratedLine[] = [];
  let sinceOp = new Set<string>();
  for (const line of lines) {
    if (line.kind === 'op') {
      sinceOp = new Set();
      out.push(line);
    } else if (!sinceOp.has(line.text)) {
      sinceOp.add(line.text);
      out.push(line);
    }
  }
  return out;
}
