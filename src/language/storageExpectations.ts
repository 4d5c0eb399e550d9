// Evaluating `expect` claims about a volume's or container's files against a storage state.
//   shared with V F[i]   both file blocks map the same physical block
//   exclusive            the physical block is referenced by exactly one file block
//   copied-up            (containers) the file now lives in the upper directory, copied up from the lower layer
//   block == N           the physical block id
//   == "value"           what the block holds
import { isQuestion, type Claim, type PageSelector } from './ast';
import type { Storage } from '../storage';
import { blockRange } from './storageRun';

export interface StorageOutcome {
  readonly holds: boolean;
  readonly actual: number | string;
  readonly found: string;
  readonly question?: boolean;
}

type FileClaim = Exclude<Claim, { kind: 'counter' | 'status' | 'pipe-value' | 'memory' }>;

/** "block 7 (referenced by 2 file blocks)" */
export function describeBlock(storage: Storage, block: number): string {
  if (block === 0) return 'no block';
  const refs = storage.refs(block);
  return `block ${block} (referenced by ${refs} file block${refs === 1 ? '' : 's'})`;
}

export function evaluateStorageClaim(storage: Storage, claim: FileClaim): StorageOutcome {
  const space = claim.target.process.text;
  const fileName = claim.target.selector.region.text;
  const file = storage.resolve(space, fileName);
  if (file === undefined) return { holds: false, actual: 'no such file', found: `${space} has no file '${fileName}'` };
  if (claim.kind === 'block-property' && claim.property.text === 'copied-up') {
    const up = file.layer === 'upper' && file.file.copiedUp;
    const where = file.layer === undefined ? 'a volume file' : up ? 'copied up to the upper directory' : file.layer === 'upper' ? 'created in the upper directory' : 'still only in the lower layer';
    return { holds: up !== claim.negated, actual: where, found: `${space} ${fileName} is ${where}` };
  }
  const { first, last } = blockRange(storage, space, claim.target.selector);
  const other = claim.kind === 'shared-with' && claim.otherSelector !== undefined ? { space: claim.other.text, selector: claim.otherSelector } : undefined;
  const otherFirst = other ? blockRange(storage, other.space, other.selector).first : 0;
  let firstFound: StorageOutcome | undefined;
  for (let i = first; i <= last; i++) {
    const outcome = evaluateBlock(storage, claim, space, fileName, i, other, otherFirst + (i - first));
    if (!outcome.holds || outcome.question) return outcome;
    firstFound ??= outcome;
  }
  return firstFound ?? { holds: false, actual: 'no blocks', found: `${space} ${fileName} has no block there` };
}

function evaluateBlock(storage: Storage, claim: FileClaim, space: string, fileName: string, index: number, other: { space: string; selector: PageSelector } | undefined, otherIndex: number): StorageOutcome {
  const at = `${space} ${fileName}[${index}]`;
  const block = storage.blockOf(space, fileName, index);
  const here = describeBlock(storage, block);
  switch (claim.kind) {
    case 'shared-with': {
      if (other === undefined) return { holds: false, actual: 'nothing to compare', found: 'no other file named' };
      const theirs = storage.blockOf(other.space, other.selector.region.text, otherIndex);
      const same = block !== 0 && block === theirs;
      const found = `${at} is ${here} and ${other.space} ${other.selector.region.text}[${otherIndex}] is ${describeBlock(storage, theirs)}`;
      return { holds: same !== claim.negated, actual: found, found };
    }
    case 'block-property': {
      const exclusive = block !== 0 && storage.refs(block) === 1;
      return { holds: exclusive !== claim.negated, actual: here, found: `${at} is ${here}` };
    }
    case 'block': {
      const found = `${at} is ${here}`;
      if (isQuestion(claim.expected)) return { holds: true, actual: block, found, question: true };
      return { holds: (block === claim.expected.value) === (claim.op.text === '=='), actual: block, found };
    }
    case 'value': {
      const actual = storage.value(block);
      const found = `${at} holds ${JSON.stringify(actual)}`;
      if (isQuestion(claim.expected)) return { holds: true, actual: JSON.stringify(actual), found, question: true };
      return { holds: (actual === claim.expected.value) === (claim.op.text === '=='), actual: JSON.stringify(actual), found };
    }
    default:
      return { holds: false, actual: 'not a block claim', found: `'${claim.kind}' is not a claim about blocks` };
  }
}
