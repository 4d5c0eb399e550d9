// The syntax tree of a `.cow` scenario. Every name, verb and value carries its source range so
// that editor features (go to definition, rename, hover, completion) can point at it exactly.
import type { Diagnostic, Range } from './source';
import type { AdviceWord, BlockProperty, Comparison, Counter, FsTypeWord, MemoryFigure, PageCount, PageProperty, ProcessStatusWord, StorageVerb, Verb } from './vocabulary';
import { VERBS } from './vocabulary';

/** A word as written, with where it was written. */
export interface Name {
  readonly text: string;
  readonly range: Range;
}

/** A region's pages: `heap[3]`, `heap[1..3]` or `heap` (every page). */
export interface PageSelector {
  readonly region: Name;
  /** Absent when the whole region is meant. */
  readonly pages?: { readonly first: number; readonly last: number; readonly range: Range };
  readonly range: Range;
}

interface StatementBase {
  /** The whole statement, comment excluded. */
  readonly range: Range;
}

/** `NAME: verb …` — `kind` is the verb, so a switch on `kind` covers every statement. */
interface ActionBase extends StatementBase {
  readonly process: Name;
  /** Where the verb is written. */
  readonly verb: Range;
}

export interface MapAction extends ActionBase {
  readonly kind: 'map';
  readonly region: Name;
  readonly pages: number;
  /** The size as written (`8`, `2 MiB`). */
  readonly size: Range;
  readonly regionKind: 'private' | 'shared';
  /** Where `private`/`shared` is written; absent when omitted (private is the default). */
  readonly regionKindRange?: Range;
  /** Where `huge` is written (`map heap 1024 private huge`): transparent huge pages. */
  readonly huge?: Range;
}
export interface UnmapAction extends ActionBase {
  readonly kind: 'unmap';
  readonly region: Name;
}
export interface ReadAction extends ActionBase {
  readonly kind: 'read';
  readonly target: PageSelector;
}
export interface WriteAction extends ActionBase {
  readonly kind: 'write';
  readonly target: PageSelector;
  readonly value?: StringLiteral;
}
export interface ForkAction extends ActionBase {
  readonly kind: 'fork' | 'vfork';
  readonly child: Name;
}
export interface ExecExitAction extends ActionBase {
  readonly kind: 'exec' | 'exit';
}
export interface MadviseAction extends ActionBase {
  readonly kind: 'madvise';
  readonly target: PageSelector;
  readonly advice: Name & { readonly text: AdviceWord };
}

/** `P: vmsplice R[i..j] PIPE` */
export interface VmspliceAction extends ActionBase {
  readonly kind: 'vmsplice';
  readonly target: PageSelector;
  readonly pipe: Name;
}
/** `P: drain PIPE` */
export interface DrainAction extends ActionBase {
  readonly kind: 'drain';
  readonly pipe: Name;
}
/** `P: pin R[i..j]` / `P: unpin R[i..j]` */
export interface PinAction extends ActionBase {
  readonly kind: 'pin' | 'unpin';
  readonly target: PageSelector;
}

export type Action = MapAction | UnmapAction | ReadAction | WriteAction | ForkAction | ExecExitAction | MadviseAction | VmspliceAction | DrainAction | PinAction;

export interface StringLiteral {
  /** The text with escapes resolved. */
  readonly value: string;
  /** Includes the quotes. */
  readonly range: Range;
}

export interface ModeStatement extends StatementBase {
  readonly kind: 'mode';
  readonly keyword: Range;
  readonly policy: Name & { readonly text: 'cow' | 'eager' };
}

/** `kernel 4.19`: which Linux release's rules apply. */
export interface KernelStatement extends StatementBase {
  readonly kind: 'kernel';
  readonly keyword: Range;
  readonly version: { readonly text: string; readonly major: number; readonly minor: number; readonly range: Range };
}

/** `memory 2 GiB` / `memory 512`: the machine has this many frames of physical memory (no swap). */
export interface MemoryStatement extends StatementBase {
  readonly kind: 'memory';
  readonly keyword: Range;
  /** Frames (4 KiB each). */
  readonly frames: number;
  /** The size as written (`512`, `2 GiB`). */
  readonly size: Range;
}

export interface ProcessStatement extends StatementBase {
  readonly kind: 'process';
  readonly keyword: Range;
  readonly name: Name;
}

export interface CheckpointStatement extends StatementBase {
  readonly kind: 'checkpoint';
  readonly keyword: Range;
  /** The checkpoint's name (quotes excluded from `text`, included in `range`). */
  readonly name: Name;
}

export interface NoteStatement extends StatementBase {
  readonly kind: 'note';
  readonly keyword: Range;
  readonly text: StringLiteral;
}

/** `?` in place of a value: a question for the learner, answered by the run, never a failure. */
export interface Question {
  readonly question: true;
  readonly range: Range;
}

export interface NumberLiteral {
  readonly value: number;
  readonly range: Range;
}

/** A number that may have a decimal fraction (`pss == 2.5`); `text` is its digits, for exact comparison. */
export interface DecimalLiteral {
  readonly value: number;
  readonly text: string;
  readonly range: Range;
}

export type Claim =
  | { readonly kind: 'memory'; readonly process: Name; readonly figure: Name & { readonly text: MemoryFigure }; readonly op: Name & { readonly text: Comparison }; readonly expected: DecimalLiteral | Question }
  | { readonly kind: 'counter'; readonly counter: Name & { readonly text: Counter }; readonly op: Name & { readonly text: Comparison }; readonly expected: NumberLiteral | Question }
  | { readonly kind: 'status'; readonly process: Name; readonly status: Name & { readonly text: ProcessStatusWord } }
  | { readonly kind: 'shared-with'; readonly target: PageTarget; readonly negated: boolean; readonly other: Name; /** Storage: the other file's blocks (`shared with snap log[3]`). */ readonly otherSelector?: PageSelector }
  | { readonly kind: 'block-property'; readonly target: PageTarget; readonly negated: boolean; readonly property: Name & { readonly text: BlockProperty } }
  | { readonly kind: 'block'; readonly target: PageTarget; readonly op: Name & { readonly text: '==' | '!=' }; readonly expected: NumberLiteral | Question }
  | { readonly kind: 'property'; readonly target: PageTarget; readonly negated: boolean; readonly property: Name & { readonly text: PageProperty } }
  | { readonly kind: 'frame'; readonly target: PageTarget; readonly op: Name & { readonly text: '==' | '!=' }; readonly expected: NumberLiteral | Question }
  | { readonly kind: 'value'; readonly target: PageTarget; readonly op: Name & { readonly text: '==' | '!=' }; readonly expected: StringLiteral | Question }
  /** `expect p heap[0] refcount == 2` */
  | { readonly kind: 'count'; readonly target: PageTarget; readonly count: Name & { readonly text: PageCount }; readonly op: Name & { readonly text: Comparison }; readonly expected: NumberLiteral | Question }
  /** `expect leak[0] == "old"`: what the k-th page the pipe holds reads now. */
  | { readonly kind: 'pipe-value'; readonly pipe: Name; readonly index: NumberLiteral; readonly op: Name & { readonly text: '==' | '!=' }; readonly expected: StringLiteral | Question };

/** The page(s) an expectation is about: `shell heap[1]`. */
export interface PageTarget {
  readonly process: Name;
  readonly selector: PageSelector;
}

export interface ExpectStatement extends StatementBase {
  readonly kind: 'expect';
  readonly keyword: Range;
  readonly claim: Claim;
}

// Storage. `read` and `write` on a volume or a container parse as ReadAction / WriteAction:
// `process` then names the volume and the selector's `region` the file; the checker and the
// interpreter tell them apart by what the name was created as.

/** `volume data btrfs` */
export interface VolumeStatement extends StatementBase {
  readonly kind: 'volume';
  readonly keyword: Range;
  readonly name: Name;
  readonly fsType: Name & { readonly text: FsTypeWord };
}

/** `container web image data`: lower = image (read-only), upper = a directory on data. */
export interface ContainerStatement extends StatementBase {
  readonly kind: 'container';
  readonly keyword: Range;
  readonly name: Name;
  readonly lower: Name;
  readonly upper: Name;
}

interface StorageActionBase extends StatementBase {
  /** The volume or container (named `process` like an action's actor, so tools treat both alike). */
  readonly process: Name;
  readonly verb: Range;
}

/** `data: create log 16 "v1"` */
export interface CreateAction extends StorageActionBase {
  readonly kind: 'create';
  readonly file: Name;
  readonly blocks: number;
  readonly size: Range;
  readonly value?: StringLiteral;
}
/** `data: reflink log copy` / `data: copy log plain` */
export interface CloneAction extends StorageActionBase {
  readonly kind: 'reflink' | 'copy';
  readonly file: Name;
  readonly target: Name;
}
export interface DeleteAction extends StorageActionBase {
  readonly kind: 'delete';
  readonly file: Name;
}
/** `data: snapshot snap` */
export interface SnapshotAction extends StorageActionBase {
  readonly kind: 'snapshot';
  readonly snapshot: Name;
}

export type StorageAction = CreateAction | CloneAction | DeleteAction | SnapshotAction;

export type Statement = ModeStatement | KernelStatement | MemoryStatement | ProcessStatement | Action | CheckpointStatement | NoteStatement | ExpectStatement | VolumeStatement | ContainerStatement | StorageAction;

const STORAGE_ACTION_KINDS: readonly string[] = ['create', 'reflink', 'copy', 'delete', 'snapshot'] satisfies readonly StorageVerb[];

export function isStorageAction(s: Statement): s is StorageAction {
  return STORAGE_ACTION_KINDS.includes(s.kind);
}

export interface Comment {
  /** Text after `#`. */
  readonly text: string;
  /** Includes the `#`. */
  readonly range: Range;
}

export interface Program {
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
  /** Syntax diagnostics: at most one per line, and the line yields no statement. */
  readonly diagnostics: readonly Diagnostic[];
  /** The `mode` header when present. */
  readonly mode?: ModeStatement;
  /** The `kernel` header when present. */
  readonly kernel?: KernelStatement;
  /** The `memory` header when present. */
  readonly memory?: MemoryStatement;
  /**
   * Lines that did not parse, with the words on them: the checker stays quiet about a name
   * that may have been created on such a line, so one bad line stays one diagnostic.
   */
  readonly skippedLines: readonly { readonly line: number; readonly words: readonly string[] }[];
  /** Number of source lines (a trailing newline does not start a new line). */
  readonly lineCount: number;
}

export function isQuestion(x: NumberLiteral | DecimalLiteral | StringLiteral | Question): x is Question {
  return 'question' in x;
}

/** The page target of a claim about pages, if the claim is about pages. */
export function claimTarget(claim: Claim): PageTarget | undefined {
  return claim.kind === 'counter' || claim.kind === 'status' || claim.kind === 'pipe-value' || claim.kind === 'memory' ? undefined : claim.target;
}

export function isAction(s: Statement): s is Action {
  return (VERBS as readonly string[]).includes(s.kind);
}

export type { Verb };
