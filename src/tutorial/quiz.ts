// A sample turned into a quiz: every `expect COUNTER == N` and single-page `expect P R[i] == "v"`
// has its value replaced by `?`, so the learner predicts what the sample's author worked out by
// hand. What would give the answers away goes: the worked-out comments and the notes (the
// explanations come back when the quiz is checked). Only the sample's first line, which says
// what it teaches, stays. The walkthrough opens quizzes; "CoW Lab: Check My Answers" grades them.
import { analyze, isQuestion, splitLines, type ExpectStatement, type Range } from '../language';

export interface Quiz {
  readonly source: string;
  /** How many values became questions. */
  readonly questions: number;
}

export function quizHeader(sample: string): string {
  return `# CoW Lab quiz — ${sample}`;
}

/** `sample` is the file name shown in the header (e.g. `02-write-fault.cow`). */
export function quizFromSample(sample: string, source: string): Quiz {
  const { program } = analyze(source);
  const lines = splitLines(source);
  const replaced = new Map<number, Range>();
  const dropped = new Set<number>();
  for (const s of program.statements) {
    if (s.kind === 'note') for (let l = s.range.line; l <= s.range.endLine; l += 1) dropped.add(l);
    if (s.kind !== 'expect') continue;
    const range = askable(s);
    if (range && range.line === range.endLine) replaced.set(range.line, range);
  }
  for (const c of program.comments) {
    const line = lines[c.range.line - 1] ?? '';
    if (c.range.line > 1 && line.slice(0, c.range.col - 1).trim() === '') dropped.add(c.range.line);
  }
  const body = lines.flatMap((text, i) => {
    if (dropped.has(i + 1)) return [];
    const r = replaced.get(i + 1);
    const kept = r ? `${text.slice(0, r.col - 1)}?${text.slice(r.endCol - 1)}` : text;
    // A trailing comment may explain the value too.
    const comment = program.comments.find((c) => c.range.line === i + 1 && c.range.col > 1);
    return [comment ? kept.slice(0, comment.range.col - 1).trimEnd() : kept];
  });
  const header = [
    quizHeader(sample),
    '# Each ? is a value the sample worked out. Predict it, then run "CoW Lab: Check My Answers".',
    '',
  ];
  return { source: [...header, ...body].join('\n'), questions: replaced.size };
}

/** The range of the value to hide, for claims a `?` can stand in. */
function askable(s: ExpectStatement): Range | undefined {
  const c = s.claim;
  if ((c.kind === 'counter' || c.kind === 'memory') && c.op.text === '==' && !isQuestion(c.expected)) return c.expected.range;
  if (c.kind === 'value' && c.op.text === '==' && !isQuestion(c.expected)) {
    const pages = c.target.selector.pages;
    if (pages !== undefined && pages.first === pages.last) return c.expected.range;
  }
  return undefined;
}
