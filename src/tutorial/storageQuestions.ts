// `expect V F[i] == ?` and `expect V F[i] block == ?` where V is a volume or a container: the
// answer is read from the storage model (the value the file block holds, the physical block it is
// stored in), and the explanation says which earlier statement last changed it.
import { describeBlock, describeClaim, isQuestion, type Claim, type RunResult, type Step } from '../language';
import type { Storage } from '../storage';
import type { ExpectQuestion } from './expectQuestions';

/** Whether `name` is a volume or container at this step. */
export function isStorageSpace(storage: Storage, name: string): boolean {
  return storage.volume(name) !== undefined || storage.container(name) !== undefined;
}

type BlockClaim = Extract<Claim, { kind: 'value' | 'block' }>;

/** The question a storage `== ?` claim asks, or undefined when the claim is not about a file block. */
export function storageQuestionAt(run: RunResult, step: Step, claim: Claim, lines: readonly string[]): ExpectQuestion | undefined {
  if ((claim.kind !== 'value' && claim.kind !== 'block') || !isQuestion(claim.expected)) return undefined;
  const storage = run.storage.at(step.storage);
  const space = claim.target.process.text;
  if (!isStorageSpace(storage, space)) return undefined;
  const file = claim.target.selector.region.text;
  const index = claim.target.selector.pages?.first ?? 0;
  const line = step.statement.range.line;
  const at = `${space} ${file}[${index}]`;
  const block = storage.blockOf(space, file, index);
  const history = blockHistory(run, step, space, file, index, lines, claim);
  if (claim.kind === 'block') {
    return {
      line,
      claim: describeClaim(claim),
      question: { id: `line-${line}`, kind: 'block', form: 'count', prompt: `Line ${line}: which physical block is ${at} stored in here (the block number)?`, choices: [] },
      solution: { answer: block, alsoAccepted: [], answerText: String(block), explanation: `${at} is ${describeBlock(storage, block)}. ${history}` },
    };
  }
  const value = storage.value(block);
  return {
    line,
    claim: describeClaim(claim),
    question: { id: `line-${line}`, kind: 'value', form: 'text', prompt: `Line ${line}: what does ${at} hold here?`, choices: [] },
    solution: { answer: value, alsoAccepted: [], answerText: JSON.stringify(value), explanation: `${at} holds ${JSON.stringify(value)}: it is ${describeBlock(storage, block)}. ${history}` },
  };
}

/** The last storage statement before `at` that changed what the file block reads (its block, or that block's value). */
function blockHistory(run: RunResult, at: Step, space: string, file: string, index: number, lines: readonly string[], claim: BlockClaim): string {
  const read = (s: Storage) => {
    const block = s.blockOf(space, file, index);
    return claim.kind === 'block' ? String(block) : `${block}:${s.value(block)}`;
  };
  for (let i = at.index - 1; i >= 0; i -= 1) {
    const step = run.steps[i];
    if (step === undefined || step.storageOperation === undefined) continue;
    const before = run.storage.at(i > 0 ? (run.steps[i - 1]?.storage ?? 0) : 0);
    const after = run.storage.at(step.storage);
    if (read(before) !== read(after)) {
      const text = (lines[step.range.line - 1] ?? '').trim().replace(/\s+#.*$/, '');
      return `It last changed at line ${step.range.line} (\`${text}\`): ${step.explanation}`;
    }
  }
  return `No statement before line ${at.range.line} changed it.`;
}
