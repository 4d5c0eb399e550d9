// `expect … == ?`: a `?` in place of a value is a question for the learner. The parser already
// keeps it (ast.ts `Question`) and the interpreter already answers it (ExpectationResult with
// `question: true` and `actual`); this file turns those answers into posed questions with an
// explanation of where the value came from — the steps that changed it.
import { PAGE_SIZE, processMemory, ratio, whyFiguresDiffer, type Machine } from '../engine';
import {
  COUNTER_DOCS, counterValue, describeClaim, describePte, isQuestion, runScenario, splitLines,
  type Counter, type Diagnostic, type ExpectStatement, type RunResult, type Step,
} from '../language';
import { FRAME_NONE, FRAME_ZERO, frameId, pagesSolution, type Posed } from './answers';
import { pageName, plural } from './pages';
import { storageQuestionAt } from './storageQuestions';

export type ExpectQuestionsOutcome =
  | { readonly ok: true; readonly questions: readonly ExpectQuestion[]; readonly run: RunResult }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface ExpectQuestion extends Posed {
  /** The `expect` line (1-based). */
  readonly line: number;
  /** The claim as written after `expect`: `copies == ?`. */
  readonly claim: string;
}

/** Runs the scenario and poses one question per `?`, in line order. */
export function expectQuestions(source: string): ExpectQuestionsOutcome {
  const outcome = runScenario(source);
  if (!outcome.ok) return { ok: false, diagnostics: outcome.diagnostics };
  const lines = splitLines(source);
  const questions: ExpectQuestion[] = [];
  for (const step of outcome.run.steps) {
    const q = questionAt(outcome.run, step, lines);
    if (q) questions.push(q);
  }
  return { ok: true, questions, run: outcome.run };
}

function questionAt(run: RunResult, step: Step, lines: readonly string[]): ExpectQuestion | undefined {
  if (step.statement.kind !== 'expect' || !step.expectation?.question) return undefined;
  const s: ExpectStatement = step.statement;
  const claim = s.claim;
  const m = run.timeline.at(step.state);
  const line = s.range.line;
  const id = `line-${line}`;
  const written = describeClaim(claim);
  // A file block of a volume or container: the storage model answers (storageQuestions.ts).
  const stored = storageQuestionAt(run, step, claim, lines);
  if (stored) return stored;
  switch (claim.kind) {
    case 'counter': {
      if (!isQuestion(claim.expected)) return undefined;
      const counter = claim.counter.text;
      const value = counterValue(m, run.storage.at(step.storage), counter);
      return {
        line,
        claim: written,
        question: { id, kind: 'counter', form: 'count', prompt: `Line ${line}: ${counterPrompt(counter)}`, choices: [] },
        solution: { answer: value, alsoAccepted: [], answerText: String(value), explanation: `${counter} is ${value}. ${counterHistory(run, step, counter, lines)}` },
      };
    }
    case 'frame': {
      if (!isQuestion(claim.expected)) return undefined;
      const { process, page, region } = target(claim.target);
      const pte = m.pte(process, region, page);
      const answer = pte.frame === null ? FRAME_NONE : pte.frame === 'zero' ? FRAME_ZERO : frameId(pte.frame);
      const answerText = pte.frame === null ? 'not present' : pte.frame === 'zero' ? 'the zero page' : String(pte.frame);
      return {
        line,
        claim: written,
        question: { id, kind: 'frame', form: 'frame', prompt: `Line ${line}: which frame does ${pageName(process, region, page)} use here?`, choices: [] },
        solution: { answer, alsoAccepted: [], answerText, explanation: `${pageName(process, region, page)} is ${describePte(m, pte)}. ${pageHistory(run, step, process, region, page, lines)}` },
      };
    }
    case 'value': {
      if (!isQuestion(claim.expected)) return undefined;
      const { process, page, region } = target(claim.target);
      const pte = m.pte(process, region, page);
      const value = typeof pte.frame === 'number' ? (m.frame(pte.frame)?.value ?? '') : '';
      return {
        line,
        claim: written,
        question: { id, kind: 'value', form: 'text', prompt: `Line ${line}: what does ${pageName(process, region, page)} hold here?`, choices: [] },
        solution: {
          answer: value,
          alsoAccepted: [],
          answerText: JSON.stringify(value),
          explanation: `${pageName(process, region, page)} holds ${JSON.stringify(value)}: it is ${describePte(m, pte)}${value === '' ? ' (a page never written reads back as zeros)' : ''}. ${pageHistory(run, step, process, region, page, lines)}`,
        },
      };
    }
    case 'memory': {
      if (!isQuestion(claim.expected)) return undefined;
      const process = claim.process.text;
      const figures = processMemory(m, process);
      if (figures === undefined) return undefined;
      const figure = claim.figure.text;
      const value = figure === 'pss' ? figures.pss : ratio(BigInt(figures[figure]), 1n);
      const solution = pagesSolution(value);
      return {
        line,
        claim: written,
        question: { id, kind: 'memory', form: 'pages', prompt: `Line ${line}: ${MEMORY_PROMPTS[figure](process)}`, choices: [] },
        solution: { ...solution, explanation: `${process}'s ${figure.toUpperCase()} is ${solution.answerText} ${solution.answerText === '1' ? 'page' : 'pages'}: ${MEMORY_RULES[figure]} ${whyFiguresDiffer(figures)}` },
      };
    }
    case 'count': {
      if (!isQuestion(claim.expected)) return undefined;
      const { process, page, region } = target(claim.target);
      const count = claim.count.text;
      const pte = m.pte(process, region, page);
      const f = typeof pte.frame === 'number' ? m.frame(pte.frame) : undefined;
      const actual = f === undefined ? 0 : count === 'refcount' ? f.refCount : f.mapCount;
      const at = pageName(process, region, page);
      const prompt =
        count === 'refcount'
          ? `Line ${line}: how many references does the frame of ${at} have here (mappings, pages in pipes, pins)?`
          : `Line ${line}: how many page-table entries map the frame of ${at} here?`;
      const found = f === undefined ? `${at} is ${describePte(m, pte)}: no frame, nothing counts it` : `${at} is frame ${f.frame}: ${refParts(f)}`;
      const meaning =
        count === 'refcount'
          ? 'A reference count counts every mapping, every page a pipe holds and every long-term pin; from Linux 5.9 a write fault reuses a page only when the count is 1 (from 5.19 also when the page is marked exclusive).'
          : 'The map count counts page-table entries only; pipes and pins hold references, not mappings.';
      const measure = (mm: Machine, frame: number): number => (count === 'refcount' ? (mm.frame(frame)?.refCount ?? 0) : (mm.frame(frame)?.mapCount ?? 0));
      return {
        line,
        claim: written,
        question: { id, kind: count === 'refcount' ? 'refcount' : 'mapcount', form: 'count', prompt, choices: [] },
        solution: { answer: actual, alsoAccepted: [], answerText: String(actual), explanation: `${actual}: ${found}. ${meaning} ${countHistory(run, step, process, region, page, lines, measure)}` },
      };
    }
    case 'pipe-value': {
      if (!isQuestion(claim.expected)) return undefined;
      const k = claim.index.value;
      const values = m.pipes().get(claim.pipe.text);
      const value = values?.[k];
      if (value === undefined) return undefined;
      return {
        line,
        claim: written,
        question: { id, kind: 'value', form: 'text', prompt: `Line ${line}: what does page ${k} of pipe ${claim.pipe.text} read now?`, choices: [] },
        solution: {
          answer: value,
          alsoAccepted: [],
          answerText: JSON.stringify(value),
          explanation: `${JSON.stringify(value)}: a pipe filled by vmsplice holds references to the pages themselves, not copies, so it reads what the frame holds now (frame ${m.pipeFrames(claim.pipe.text)?.[k] ?? '?'}).`,
        },
      };
    }
    default:
      return undefined;
  }
}

/** How each memory question is put (issue 17). */
const MEMORY_PROMPTS = {
  rss: (p: string) => `what does top show as ${p}'s RES here, in pages?`,
  pss: (p: string) => `what does smem show as ${p}'s PSS here, in pages (a fraction is fine: 2.5, 7/3)?`,
  uss: (p: string) => `how many pages does ${p} alone map here (its USS)?`,
} as const;

/** The rule behind each figure, as smaps_account (fs/proc/task_mmu.c) applies it. */
const MEMORY_RULES = {
  rss: 'RES counts every frame the process maps, a shared one in full (the zero page not at all).',
  pss: 'PSS counts each mapped frame divided by the number of page-table entries that map it.',
  uss: 'USS counts the frames that only this process maps (map count 1).',
} as const;

/** "2 mappings, 1 page in a pipe, 1 pin" */
function refParts(f: { mapCount: number; pipeRefs: number; pins: number }): string {
  return [plural(f.mapCount, 'mapping'), ...(f.pipeRefs ? [`${plural(f.pipeRefs, 'page')} in pipes`] : []), ...(f.pins ? [plural(f.pins, 'pin')] : [])].join(', ');
}

/** The last step before `at` that changed the count (`measure`) of the frame the page maps there. */
function countHistory(run: RunResult, at: Step, process: string, region: string, page: number, lines: readonly string[], measure: (m: Machine, frame: number) => number): string {
  const now = run.timeline.at(at.state).pte(process, region, page).frame;
  if (typeof now !== 'number') return pageHistory(run, at, process, region, page, lines);
  for (let i = at.index - 1; i >= 0; i -= 1) {
    const step = run.steps[i];
    if (step === undefined || step.operation === undefined || step.state < 1) continue;
    const before = measure(run.timeline.at(step.state - 1), now);
    const after = measure(run.timeline.at(step.state), now);
    if (before !== after) return `It last changed at ${statStatement(lines, step)} (${before} → ${after}): ${step.explanation}`;
  }
  return `No step before line ${at.range.line} changed it.`;
}

function target(t: { process: { text: string }; selector: { region: { text: string }; pages?: { first: number } } }): { process: string; region: string; page: number } {
  return { process: t.process.text, region: t.selector.region.text, page: t.selector.pages?.first ?? 0 };
}

function counterPrompt(counter: Counter): string {
  switch (counter) {
    case 'copies':
      return 'how many frames have been filled by copying so far?';
    case 'frames':
      return 'how many frames are in use now (the shared zero page not counted)?';
    case 'faults':
      return 'how many page faults have been taken so far?';
    case 'reuses':
      return 'how many write faults reused the frame in place (no copy) so far?';
    default:
      return `what is ${counter} now (${COUNTER_DOCS[counter]})?`;
  }
}

function statStatement(lines: readonly string[], step: Step): string {
  const text = (lines[step.range.line - 1] ?? '').trim().replace(/\s+#.*$/, '');
  return `line ${step.range.line} (\`${text}\`)`;
}

/** The steps before `at` that changed `counter`, most recent last; long histories are shortened. */
function counterHistory(run: RunResult, at: Step, counter: Counter, lines: readonly string[]): string {
  const changes: string[] = [];
  let last: Step | undefined;
  for (const step of run.steps) {
    if (step.index >= at.index) break;
    if (step.operation === undefined && step.storageOperation === undefined) continue;
    const before = run.steps[step.index - 1];
    const delta =
      counterValue(run.timeline.at(step.state), run.storage.at(step.storage), counter) -
      counterValue(run.timeline.at(before?.state ?? 0), run.storage.at(before?.storage ?? 0), counter);
    if (delta === 0) continue;
    changes.push(`${statStatement(lines, step)} ${delta > 0 ? '+' : '−'}${Math.abs(delta)}`);
    last = step;
  }
  // Told in the order the steps ran: the changes, the last of them, then the step just before the
  // question when that one changed nothing (each named by its line, so the order is plain).
  const previous = previousOperation(run, at);
  const quiet = previous && previous !== last ? previous : undefined;
  if (changes.length === 0) {
    return `No step before line ${at.range.line} changed it.${quiet ? ` The step just before, ${statStatement(lines, quiet)}: ${quiet.explanation}` : ''}`;
  }
  const shown = changes.length > 6 ? [`${changes.length - 5} earlier changes`, ...changes.slice(-5)] : changes;
  const unit = counter === 'copies' ? ` Each copy is one whole page (${PAGE_SIZE / 1024} KiB).` : '';
  const lastChange = last ? ` The last change, ${statStatement(lines, last)}: ${last.explanation}` : '';
  const after = quiet ? ` Then ${statStatement(lines, quiet)} did not change it: ${quiet.explanation}` : '';
  return `It changed at ${shown.join('; ')}.${unit}${lastChange}${after}`;
}

function previousOperation(run: RunResult, at: Step): Step | undefined {
  for (let i = at.index - 1; i >= 0; i -= 1) {
    const step = run.steps[i];
    if (step?.operation !== undefined && step.operation.op !== 'spawn') return step;
  }
  return undefined;
}


/** The last step before `at` that changed this page's entry, and what the engine said about it. */
function pageHistory(run: RunResult, at: Step, process: string, region: string, page: number, lines: readonly string[]): string {
  for (let i = at.index - 1; i >= 0; i -= 1) {
    const step = run.steps[i];
    if (step === undefined || step.operation === undefined || step.state < 1) continue;
    if (changedPage(run.timeline.at(step.state - 1), run.timeline.at(step.state), process, region, page)) {
      return `It last changed at ${statStatement(lines, step)}: ${step.explanation}`;
    }
  }
  return `No step before line ${at.range.line} touched it.`;
}

function changedPage(before: Machine, after: Machine, process: string, region: string, page: number): boolean {
  const a = before.pte(process, region, page);
  const b = after.pte(process, region, page);
  if (a.frame !== b.frame || a.writable !== b.writable) return true;
  if (typeof b.frame === 'number') return (before.frame(b.frame)?.value ?? '') !== (after.frame(b.frame)?.value ?? '');
  return false;
}

/** "3 questions" */
export function questionCount(questions: readonly unknown[]): string {
  return plural(questions.length, 'question');
}
