// Predict mode for storage statements: before a write, a snapshot, a reflink, a copy or a
// container's first write runs, ask what it will do — will the written block move to a new
// physical block, will the file be copied up, how many blocks will it copy, how many will be in
// use — and let the storage model's result be the answer key and its explanation (which names
// the kernel function) the why.
import type { RunResult } from '../language';
import type { Storage, StorageOperation } from '../storage';
import type { Posed, QuestionKind } from './answers';
import { plural } from './pages';

/** The storage kinds predict mode asks, in the order it asks them. */
export const STORAGE_PREDICT_KINDS: readonly QuestionKind[] = ['new-block', 'copied-up', 'blocks-copied', 'blocks-after'];

interface Context {
  readonly before: Storage;
  readonly after: Storage;
  readonly op: StorageOperation;
  readonly statement: string;
  readonly idPrefix: string;
  readonly explanation: string;
}

/** Questions about storage step `stepIndex` of a finished run; [] for a step that is not a storage operation. */
export function predictStorageStep(run: RunResult, stepIndex: number, kinds: readonly QuestionKind[] = STORAGE_PREDICT_KINDS): Posed[] {
  const step = run.steps[stepIndex];
  const op = step?.storageOperation;
  if (step === undefined || op === undefined) return [];
  const before = run.storage.at(stepIndex > 0 ? (run.steps[stepIndex - 1]?.storage ?? 0) : 0);
  const after = run.storage.at(step.storage);
  const ctx: Context = { before, after, op, statement: `\`${statementOf(op)}\``, idPrefix: `step-${stepIndex}`, explanation: step.explanation };
  const posed: (Posed | undefined)[] = [];
  switch (op.op) {
    case 'write':
      posed.push(copiedUp(ctx, op.volume, op.file));
      if (op.first === op.last) posed.push(newBlock(ctx, op.volume, op.file, op.first));
      posed.push(blocksCopied(ctx), blocksAfter(ctx));
      break;
    case 'snapshot':
    case 'reflink':
    case 'copy':
      posed.push(blocksCopied(ctx), blocksAfter(ctx));
      break;
    case 'create':
    case 'delete':
      posed.push(blocksAfter(ctx));
      break;
    default:
      break;
  }
  const wanted = new Set(kinds);
  return posed.filter((p): p is Posed => p !== undefined && wanted.has(p.question.kind));
}

/** The statement as the language writes it (the predict card shows the source line too). */
function statementOf(op: StorageOperation): string {
  switch (op.op) {
    case 'write':
      return `${op.volume}: write ${op.file}[${op.first === op.last ? op.first : `${op.first}..${op.last}`}]`;
    case 'reflink':
    case 'copy':
      return `${op.volume}: ${op.op} ${op.file} ${op.target}`;
    case 'snapshot':
      return `${op.volume}: snapshot ${op.snapshot}`;
    case 'create':
      return `${op.volume}: create ${op.file} ${op.blocks}`;
    case 'delete':
      return `${op.volume}: delete ${op.file}`;
    default:
      return op.op;
  }
}

/** "block 4, referenced by 2 file blocks" */
function blockWords(s: Storage, block: number): string {
  return block === 0 ? 'no block' : `block ${block}, referenced by ${plural(s.refs(block), 'file block')}`;
}

function newBlock(ctx: Context, space: string, file: string, index: number): Posed | undefined {
  const was = ctx.before.blockOf(space, file, index);
  const now = ctx.after.blockOf(space, file, index);
  if (was === 0 || now === 0) return undefined;
  const moved = was !== now;
  const at = `${space} ${file}[${index}]`;
  const fsType = ctx.before.fsType(ctx.before.resolve(space, file)?.fs ?? 0);
  return {
    question: { id: `${ctx.idPrefix}/new-block`, kind: 'new-block', form: 'yes-no', prompt: `Will ${ctx.statement} store ${at} in a new physical block (not overwrite the one it is in)?`, choices: [] },
    solution: {
      answer: moved,
      alsoAccepted: [],
      answerText: moved ? 'yes' : 'no',
      explanation: `${moved ? 'Yes' : 'No'}: before the write ${at} was ${blockWords(ctx.before, was)} on ${fsType}; after it, ${moved ? `block ${now}` : 'the same block'}. ${ctx.explanation}`,
    },
  };
}

function copiedUp(ctx: Context, space: string, file: string): Posed | undefined {
  if (ctx.before.container(space) === undefined) return undefined;
  const was = ctx.before.resolve(space, file);
  const now = ctx.after.resolve(space, file);
  if (was === undefined || now === undefined) return undefined;
  const up = was.layer === 'lower' && now.layer === 'upper';
  const where = was.layer === 'lower' ? 'only in the lower layer' : 'already in the upper directory';
  return {
    question: { id: `${ctx.idPrefix}/copied-up`, kind: 'copied-up', form: 'yes-no', prompt: `Will ${ctx.statement} copy ${file} up from the container's lower layer first?`, choices: [] },
    solution: { answer: up, alsoAccepted: [], answerText: up ? 'yes' : 'no', explanation: `${up ? 'Yes' : 'No'}: before the write ${file} was ${where}. ${ctx.explanation}` },
  };
}

function blocksCopied(ctx: Context): Posed {
  const n = ctx.after.stats.blocksCopied - ctx.before.stats.blocksCopied;
  const policy = ctx.after.policy === 'eager' ? ' (mode eager: snapshots, reflinks and copy-ups copy every block)' : '';
  return {
    question: { id: `${ctx.idPrefix}/blocks-copied`, kind: 'blocks-copied', form: 'count', prompt: `How many blocks will ${ctx.statement} copy${policy}?`, choices: [] },
    solution: { answer: n, alsoAccepted: [], answerText: String(n), explanation: `${plural(n, 'block')} (${n * 4} KiB). ${ctx.explanation}` },
  };
}

function blocksAfter(ctx: Context): Posed {
  const n = ctx.after.stats.blocks;
  const delta = n - ctx.before.stats.blocks;
  const change = delta === 0 ? 'no change' : `${delta > 0 ? '+' : '−'}${Math.abs(delta)}`;
  return {
    question: { id: `${ctx.idPrefix}/blocks-after`, kind: 'blocks-after', form: 'count', prompt: `How many blocks will be in use on every file system after ${ctx.statement}?`, choices: [] },
    solution: { answer: n, alsoAccepted: [], answerText: String(n), explanation: `${plural(n, 'block')} (${ctx.before.stats.blocks} before, ${change}). ${ctx.explanation}` },
  };
}
