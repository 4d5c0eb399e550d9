// Messages from the webview are untrusted input (a webview is a web page; a bug or injected
// content could post anything): each one is checked field by field against the protocol before
// the host acts on it. Anything else is refused with a reason the host logs. Pure: no `vscode`.
import {
  MAX_ROWS_PER_REQUEST, PANEL_STATE_VERSION,
  type MachineKey, type NavigationTarget, type PersistedPanelState, type PersistedPredict, type PredictGrade, type PredictKind, type WebviewMessage,
} from '../protocol/messages';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const NAVIGATION: readonly NavigationTarget[] = ['first', 'back', 'forward', 'last'];
const MACHINES: readonly MachineKey[] = ['primary', 'comparison'];
/** Longest process or region name the language accepts is 64; allow headroom, refuse megabytes. */
const MAX_NAME = 256;
const MAX_PROBLEM = 2_000;
/** Largest step position: the language's statement limit. */
const MAX_POSITION = 1_000_000;
/** Largest page number: the language's 4,194,304-page region limit. */
const MAX_PAGE = 4_194_303;

type Fields = Readonly<Record<string, unknown>>;

function isRecord(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isIndex(x: unknown, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

function isName(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME;
}

function onlyKeys(m: Fields, keys: readonly string[]): string | undefined {
  const extra = Object.keys(m).find((k) => !keys.includes(k));
  return extra === undefined ? undefined : `unexpected field "${extra.slice(0, 40)}"`;
}

function fail<T>(reason: string): Checked<T> {
  return { ok: false, reason };
}

/** The message, if it is exactly one of the protocol's webview messages. */
export function validateWebviewMessage(raw: unknown): Checked<WebviewMessage> {
  if (!isRecord(raw)) return fail('not an object');
  const type = raw.type;
  if (typeof type !== 'string') return fail('no "type"');
  // An own property only: "__proto__", "constructor" and friends are not message types.
  if (!isMessageType(type)) return fail(`unknown type "${type.slice(0, 40)}"`);
  const shape: Shape<WebviewMessage> = SHAPES[type] as Shape<WebviewMessage>;
  const extra = onlyKeys(raw, ['type', ...(shape.keys as readonly string[])]);
  if (extra) return fail(`${type}: ${extra}`);
  const problem = shape.check(raw);
  if (problem) return fail(`${type}: ${problem}`);
  return { ok: true, value: raw as unknown as WebviewMessage };
}

/** The checks of one message type: its fields (besides `type`), and what each must hold. */
function isMessageType(type: string): type is WebviewMessage['type'] {
  return Object.hasOwn(SHAPES, type);
}

interface Shape<M extends WebviewMessage> {
  readonly keys: readonly Exclude<keyof M, 'type'>[];
  /** A reason to refuse, or undefined when every field is right. */
  readonly check: (m: Fields) => string | undefined;
}

/**
 * One shape per message type, keyed by it: a message type added to WebviewMessage without a
 * shape here is a type error, and so is a shape naming a field its message does not have.
 */
export type Shapes = { readonly [K in WebviewMessage['type']]: Shape<Extract<WebviewMessage, { readonly type: K }>> };

const SHAPES: Shapes = {
  ready: { keys: [], check: () => undefined },
  navigate: {
    keys: ['to'],
    check: (m) => (NAVIGATION.includes(m.to as NavigationTarget) ? undefined : '"to" must be first, back, forward or last'),
  },
  goTo: { keys: ['position'], check: (m) => (isIndex(m.position, MAX_POSITION) ? undefined : '"position" must be a step index') },
  revealStatement: { keys: ['position'], check: (m) => (isIndex(m.position, MAX_POSITION) ? undefined : '"position" must be a step index') },
  setCompare: { keys: ['on'], check: (m) => (typeof m.on === 'boolean' ? undefined : '"on" must be a boolean') },
  requestRows: {
    keys: ['runId', 'position', 'machine', 'process', 'region', 'start', 'count'],
    check: (m) => {
      if (!isIndex(m.runId, Number.MAX_SAFE_INTEGER)) return '"runId" must be a run number';
      if (!isIndex(m.position, MAX_POSITION)) return '"position" must be a step index';
      if (!MACHINES.includes(m.machine as MachineKey)) return '"machine" must be primary or comparison';
      if (!isName(m.process) || !isName(m.region)) return '"process" and "region" must be names';
      if (!isIndex(m.start, Number.MAX_SAFE_INTEGER)) return '"start" must be a row index';
      if (!isIndex(m.count, MAX_ROWS_PER_REQUEST) || m.count === 0) return `"count" must be 1..${MAX_ROWS_PER_REQUEST}`;
      return undefined;
    },
  },
  requestStorageRows: {
    keys: ['runId', 'position', 'space', 'file', 'start', 'count'],
    check: (m) => {
      if (!isIndex(m.runId, Number.MAX_SAFE_INTEGER)) return '"runId" must be a run number';
      if (!isIndex(m.position, MAX_POSITION)) return '"position" must be a step index';
      const blocks = m.space === null && m.file === null;
      if (!blocks && !(isName(m.space) && isName(m.file))) return '"space" and "file" must both be names, or both null (the physical blocks)';
      if (!isIndex(m.start, Number.MAX_SAFE_INTEGER)) return '"start" must be a row index';
      if (!isIndex(m.count, MAX_ROWS_PER_REQUEST) || m.count === 0) return `"count" must be 1..${MAX_ROWS_PER_REQUEST}`;
      return undefined;
    },
  },
  expandRun: {
    keys: ['machine', 'process', 'region', 'first', 'last'],
    check: (m) => {
      if (!MACHINES.includes(m.machine as MachineKey)) return '"machine" must be primary or comparison';
      if (!isName(m.process) || !isName(m.region)) return '"process" and "region" must be names';
      if (!isIndex(m.first, MAX_PAGE) || !isIndex(m.last, MAX_PAGE) || (m.last as number) < (m.first as number)) return '"first" and "last" must be pages, first ≤ last';
      return undefined;
    },
  },
  collapseRun: {
    keys: ['machine', 'process', 'region', 'page'],
    check: (m) => {
      if (!MACHINES.includes(m.machine as MachineKey)) return '"machine" must be primary or comparison';
      if (!isName(m.process) || !isName(m.region)) return '"process" and "region" must be names';
      return isIndex(m.page, MAX_PAGE) ? undefined : '"page" must be a page number';
    },
  },
  goToPage: {
    keys: ['process', 'region', 'page'],
    check: (m) => {
      if (m.process !== null && !isName(m.process)) return '"process" must be a name or null';
      if (!isName(m.region)) return '"region" must be a name';
      return isIndex(m.page, MAX_PAGE) ? undefined : '"page" must be a page number';
    },
  },
  setPredict: { keys: ['on'], check: (m) => (typeof m.on === 'boolean' ? undefined : '"on" must be a boolean') },
  predictAnswer: {
    keys: ['step', 'questionId', 'answer'],
    check: (m) => {
      if (!isIndex(m.step, MAX_POSITION)) return '"step" must be a step index';
      const id = typeof m.questionId === 'string' ? QUESTION_ID.exec(m.questionId) : null;
      if (!id) return QUESTION_ID_PROBLEM;
      if (Number(id[1]) !== m.step) return '"questionId" must be a question of "step"';
      return answerProblem(id[2] as PredictKind, m.answer);
    },
  },
  predictSkip: {
    keys: ['step', 'questionId'],
    check: (m) => {
      if (!isIndex(m.step, MAX_POSITION)) return '"step" must be a step index';
      const id = typeof m.questionId === 'string' ? QUESTION_ID.exec(m.questionId) : null;
      if (!id) return QUESTION_ID_PROBLEM;
      return Number(id[1]) === m.step ? undefined : '"questionId" must be a question of "step"';
    },
  },
  problem: {
    keys: ['message'],
    check: (m) => (typeof m.message === 'string' && m.message.length <= MAX_PROBLEM ? undefined : '"message" must be a short string'),
  },
};

const PREDICT_KINDS: readonly PredictKind[] = ['will-copy', 'copies', 'which-frame', 'frames-after', 'rss-after', 'pss-after', 'refcount', 'new-block', 'copied-up', 'blocks-copied', 'blocks-after'];
/** Predict mode's question ids: `step-4/which-frame`; the kinds come from the one list above. */
const QUESTION_ID = new RegExp(`^step-(\\d{1,7})/(${PREDICT_KINDS.join('|')})$`);
const QUESTION_ID_PROBLEM = `"questionId" must be step-N/KIND, KIND one of ${PREDICT_KINDS.join(', ')}`;
/** A number of pages as typed: 4, 2.5, 7/3. */
const PAGES_TYPED = /^(?:\d{1,9}(?:\.\d{1,9})?|\d{1,9}\/\d{1,9})$/;
/** A frame id as a which-frame answer gives it. */
const FRAME_ANSWER = /^(?:frame:\d{1,9}|new|zero|none)$/;

/** Why `answer` is not an answer of the form a `kind` question wants, or undefined when it is. */
function answerProblem(kind: PredictKind, answer: unknown): string | undefined {
  switch (kind) {
    case 'will-copy':
    case 'new-block':
    case 'copied-up':
      return typeof answer === 'boolean' ? undefined : `"answer" to ${kind} must be true or false`;
    case 'copies':
    case 'frames-after':
    case 'rss-after':
    case 'refcount':
    case 'blocks-copied':
    case 'blocks-after':
      return isIndex(answer, 999_999_999) ? undefined : `"answer" to ${kind} must be a whole number`;
    case 'which-frame':
      return typeof answer === 'string' && FRAME_ANSWER.test(answer) ? undefined : '"answer" to which-frame must be frame:N, new, zero or none';
    case 'pss-after':
      return typeof answer === 'string' && PAGES_TYPED.test(answer) ? undefined : '"answer" to pss-after must be a number of pages as text: 4, 2.5 or 7/3';
  }
}

/** Most grades a saved state may hold (a scenario of this many questions is already huge). */
const MAX_SAVED_GRADES = 10_000;
const MAX_TEXT = 4_000;

function isText(x: unknown): x is string {
  return typeof x === 'string' && x.length <= MAX_TEXT;
}

function isGrade(x: unknown): x is PredictGrade {
  if (!isRecord(x) || onlyKeys(x, ['questionId', 'kind', 'correct', 'givenText', 'answerText', 'explanation'])) return false;
  return typeof x.questionId === 'string' && QUESTION_ID.test(x.questionId) && PREDICT_KINDS.includes(x.kind as PredictKind)
    && typeof x.correct === 'boolean' && isText(x.givenText) && isText(x.answerText) && isText(x.explanation);
}

function checkPredict(raw: unknown): Checked<PersistedPredict> {
  if (!isRecord(raw)) return fail('"predict" must be an object');
  if (typeof raw.on !== 'boolean') return fail('"predict.on" must be a boolean');
  if (typeof raw.scenario !== 'string' || raw.scenario.length > 100) return fail('"predict.scenario" must be a short string');
  if (!Array.isArray(raw.graded) || raw.graded.length > MAX_SAVED_GRADES || !raw.graded.every(isGrade)) return fail('"predict.graded" must be a list of grades');
  const graded = (raw.graded as PredictGrade[]).map((g) => ({ ...g }));
  if (raw.skipped === undefined) return { ok: true, value: { on: raw.on, scenario: raw.scenario, graded } };
  if (!Array.isArray(raw.skipped) || raw.skipped.length > MAX_SAVED_GRADES || !raw.skipped.every((id) => typeof id === 'string' && QUESTION_ID.test(id))) {
    return fail('"predict.skipped" must be a list of question ids');
  }
  return { ok: true, value: { on: raw.on, scenario: raw.scenario, graded, skipped: [...(raw.skipped as string[])] } };
}

/** The persisted panel state, if it is one this version wrote. */
export function validatePersistedState(raw: unknown): Checked<PersistedPanelState> {
  if (!isRecord(raw)) return fail('not an object');
  if (raw.version !== PANEL_STATE_VERSION) return fail(`version ${String(raw.version).slice(0, 20)} is not ${PANEL_STATE_VERSION}`);
  if (typeof raw.document !== 'string' || raw.document.length === 0 || raw.document.length > 4096) return fail('"document" must be a URI');
  if (!isIndex(raw.position, MAX_POSITION)) return fail('"position" must be a step index');
  if (typeof raw.compare !== 'boolean') return fail('"compare" must be a boolean');
  const value = { version: PANEL_STATE_VERSION, document: raw.document, position: raw.position, compare: raw.compare } as const;
  if (raw.predict === undefined) return { ok: true, value };
  const predict = checkPredict(raw.predict);
  if (!predict.ok) return predict;
  return { ok: true, value: { ...value, predict: predict.value } };
}
