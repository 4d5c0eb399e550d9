// One analysis per document version, shared by every feature that reads a scenario: the
// diagnostics, hover, completion, navigation, the outline, quick fixes, the panel and (later) the
// debugger. Parsing, checking and the as-you-type run happen in a worker, off the extension
// host's thread; a newer version of a document cancels the work for the older one (dropped from
// the worker's queue, or the worker is ended and restarted when it is busy with it).
//
// Interface (for every consumer, the debugger included):
//   query(doc, q)     → Promise<answer | undefined>: hover, completion, definition, references,
//                       highlights, rename, outline, quick fixes (queries.ts), answered in the
//                       worker where the analysis lives — only the small answer crosses to the
//                       host. Undefined when a newer version superseded this one meanwhile.
//   analysis(doc)     → Promise<DocumentAnalysis | undefined>: the whole parse and check of that
//                       version, sent over (costly for a large scenario: prefer query).
//   diagnostics(doc)  → Promise<readonly EditorDiagnostic[] | undefined>: what the Problems view
//                       shows, the as-you-type run's failed expectations included.
//   fullRun(doc)      → Promise<FullRun | undefined>: the scenario run with every step's machine
//                       (what the panel and a debugger step through). Computed on the host, once
//                       per version, in slices of a few milliseconds (the program fetched
//                       from the worker in parts); its machines are the engine's persistent
//                       objects.
//   watchFullRuns(uri)→ IDisposable: while held, each version of `uri` is run once, fully, on the
//                       host, and the diagnostics are read off that run — so a document the panel
//                       shows is still run once per version, not once for the Problems view and
//                       again for the panel.
//   forget(uri, doc)  → drops the document's entry (it closed).
// Documents are anything with a uri string, a version number and its text (`AnalysisDocument`):
// no `vscode` here, so this runs under mocha and in a benchmark as it does in the extension.
import type { EditorDiagnostic } from '../features/model';
import { RUN_AS_YOU_TYPE_BUDGET } from '../features/model/runBudget';
import type { Analysis, Statement } from '../language';
import type { RunAttempt, RunnableAnalysis } from '../panel/scenarioRun';
import type { HostRunner } from './hostRunner';
import { Disposable, toDisposable, type IDisposable } from '../util/dispose';
import type { FromWorker, ToWorker, WorkerEndpoint } from './messages';
import type { Answers, Query, QueryKind, RunHead } from './queries';

export interface AnalysisDocument {
  readonly uri: string;
  readonly version: number;
  /** The file's name as the panel titles it (`02-write-fault.cow`). */
  readonly fileName: string;
  getText(): string;
  /**
   * The editor's document object, when there is one: a closed and reopened document (an untitled
   * one above all) starts again at version 1 under the same uri, so uri and version alone do not
   * tell its versions apart.
   */
  readonly instance?: object;
}

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly source: string;
  readonly analysis: Analysis;
}

export interface FullRun {
  readonly uri: string;
  readonly version: number;
  readonly source: string;
  readonly analysis: RunnableAnalysis;
  readonly attempt: RunAttempt;
}

export interface AnalysisSettings {
  /** Run scenarios as they are edited and report failed expectations. */
  readonly runExpectations: boolean;
  /** Page operations an as-you-type run may cost (RUN_AS_YOU_TYPE_BUDGET). */
  readonly runBudget: number;
}

/** Counters for tests and the benchmark. */
export interface AnalysisStats {
  /** Versions parsed and checked. */
  analyses: number;
  /** Times a scenario ran (in the worker for diagnostics, or on the host for a full run). */
  scenarioRuns: number;
  /** Versions whose work was cancelled because a newer one arrived. */
  cancelled: number;
  /** Workers ended because they were busy with a stale version. */
  restarts: number;
}

/** A busy worker is ended for a stale version once that version has run this long. */
const RESTART_AFTER_MS = 30;
/** Statements per message when a full run fetches its program from the worker (RunHead). */
const STATEMENTS_PER_MESSAGE = 200;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Entry {
  readonly id: number;
  readonly document: AnalysisDocument;
  readonly version: number;
  readonly source: string;
  readonly settings: AnalysisSettings;
  /** Diagnostics come from a full run on the host (someone watches full runs of this document). */
  readonly full: boolean;
  /** Phase one done in the worker: true, or false when it was dropped. */
  readonly analysed: Deferred<boolean>;
  /** The whole analysis, once someone asked for it. */
  whole?: Promise<Analysis | undefined>;
  /** What a full run needs, fetched in parts, once a full run was asked for. */
  runnable?: Promise<RunnableAnalysis | undefined>;
  /** The worker's diagnostics (static only when `full`). */
  readonly diagnosed: Deferred<readonly EditorDiagnostic[] | undefined>;
  fullRun?: Promise<FullRun | undefined>;
  /** Sent to the worker and not answered yet. */
  pending: boolean;
  stale: boolean;
}

export class AnalysisService extends Disposable {
  /** Started by the first message (activation starts no worker: nothing asks before a document does). */
  private worker: WorkerEndpoint | undefined;
  private readonly entries = new Map<string, Entry>();
  /** Requests the worker has and not finished, oldest first (it serves them in that order). */
  private readonly inWorker: Entry[] = [];
  private startedAt = 0;
  private nextId = 1;
  private nextRunId = 1;
  private readonly fullWatchers = new Map<string, number>();
  /** Queries sent and not answered, by request id. */
  private readonly queries = new Map<number, { readonly entry: Entry; readonly answer: Deferred<Answers[QueryKind] | undefined> }>();
  readonly stats: AnalysisStats = { analyses: 0, scenarioRuns: 0, cancelled: 0, restarts: 0 };
  /** What runs a scenario fully on the host: the engine, loaded with the panel (useHostRunner). */
  private hostRunner: HostRunner | undefined;

  constructor(
    private readonly startWorker: () => WorkerEndpoint,
    private readonly settingsFor: (uri: string) => AnalysisSettings = () => ({ runExpectations: true, runBudget: RUN_AS_YOU_TYPE_BUDGET }),
    private readonly log: (message: string) => void = () => undefined,
  ) {
    super();
    this._register(toDisposable(() => {
      this.worker?.terminate();
      for (const entry of this.entries.values()) this.drop(entry);
      this.entries.clear();
    }));
  }

  async query<K extends QueryKind>(document: AnalysisDocument, query: Extract<Query, { readonly kind: K }>): Promise<Answers[K] | undefined> {
    const entry = this.entryFor(document);
    if (!entry || !(await entry.analysed.promise) || entry.stale) return undefined;
    return (await this.ask(entry, query)) as Answers[K] | undefined;
  }

  async analysis(document: AnalysisDocument): Promise<DocumentAnalysis | undefined> {
    const entry = this.entryFor(document);
    if (!entry) return undefined;
    const analysis = await this.wholeOf(entry);
    return analysis ? { uri: document.uri, version: entry.version, source: entry.source, analysis } : undefined;
  }

  async diagnostics(document: AnalysisDocument): Promise<readonly EditorDiagnostic[] | undefined> {
    const entry = this.entryFor(document);
    if (!entry) return undefined;
    const found = await entry.diagnosed.promise;
    if (!found || !entry.full || !entry.settings.runExpectations) return found;
    const run = await this.fullRunOf(entry);
    if (!run || !run.attempt.ok) return found;
    return [...found, ...this.runner().runDiagnostics(run.source, run.analysis, run.attempt.run.result)];
  }

  /**
   * Gives the service the engine for full runs on the host. The extension's entry bundle does
   * not carry the engine: the part that needs full runs (the panel, the debugger) brings it.
   */
  useHostRunner(runner: HostRunner): void {
    this.hostRunner = runner;
  }

  fullRun(document: AnalysisDocument): Promise<FullRun | undefined> {
    const entry = this.entryFor(document);
    return entry ? this.fullRunOf(entry) : Promise.resolve(undefined);
  }

  watchFullRuns(uri: string): IDisposable {
    this.fullWatchers.set(uri, (this.fullWatchers.get(uri) ?? 0) + 1);
    return toDisposable(() => {
      const left = (this.fullWatchers.get(uri) ?? 1) - 1;
      if (left > 0) this.fullWatchers.set(uri, left);
      else this.fullWatchers.delete(uri);
    });
  }

  /** Drops the document's entry (it closed); with `instance`, only if the entry is that document's. */
  forget(uri: string, instance?: object): void {
    const entry = this.entries.get(uri);
    if (!entry || (instance !== undefined && entry.document.instance !== instance)) return;
    this.drop(entry);
    this.entries.delete(uri);
  }

  /** The entry of this version: cached, or started now. Undefined for a version older than the cached one. */
  private entryFor(document: AnalysisDocument): Entry | undefined {
    if (this.isDisposed) return undefined;
    const cached = this.entries.get(document.uri);
    const settings = this.settingsFor(document.uri);
    const full = this.fullWatchers.has(document.uri);
    if (cached && cached.document.instance !== document.instance) {
      this.drop(cached);
      this.entries.delete(document.uri);
      return this.entryFor(document);
    }
    if (cached && cached.version > document.version) return undefined;
    // A version asked for before the panel watched it keeps its entry (its diagnostics are on their way).
    if (cached && cached.version === document.version && sameSettings(cached.settings, settings)) return cached;
    if (cached) this.drop(cached);
    const source = document.getText();
    const entry: Entry = {
      id: this.nextId++, document, version: document.version, source, settings, full,
      analysed: deferred(), diagnosed: deferred(), pending: true, stale: false,
    };
    this.entries.set(document.uri, entry);
    this.send(entry);
    return entry;
  }

  /** The worker, started now if this is the first message. */
  private post(message: ToWorker): void {
    (this.worker ??= this.connect()).post(message);
  }

  private send(entry: Entry): void {
    if (this.inWorker.length === 0) this.startedAt = Date.now();
    this.inWorker.push(entry);
    // With a full run on the host coming, the worker only parses and checks.
    this.post({ type: 'analyse', id: entry.id, source: entry.source, run: entry.settings.runExpectations && !entry.full, runBudget: entry.settings.runBudget });
  }

  private wholeOf(entry: Entry): Promise<Analysis | undefined> {
    if (!entry.whole) {
      entry.whole = entry.analysed.promise.then(async (ok) => (ok && !entry.stale ? ((await this.ask(entry, { kind: 'analysis' })) as Analysis | undefined) : undefined));
    }
    return entry.whole;
  }

  private ask(entry: Entry, query: Query): Promise<Answers[QueryKind] | undefined> {
    const id = this.nextId++;
    const answer = deferred<Answers[QueryKind] | undefined>();
    this.queries.set(id, { entry, answer });
    this.post({ type: 'query', id, of: entry.id, query });
    return answer.promise;
  }

  /** The program and diagnostics from the worker, the statements in parts (see RunHead). */
  private runnableOf(entry: Entry): Promise<RunnableAnalysis | undefined> {
    entry.runnable ??= (async () => {
      if (!(await entry.analysed.promise) || entry.stale) return undefined;
      const head = (await this.ask(entry, { kind: 'runHead' })) as RunHead | undefined;
      if (!head || entry.stale) return undefined;
      const statements: Statement[] = [];
      while (head.runnable && statements.length < head.statementCount) {
        const part = (await this.ask(entry, { kind: 'statements', from: statements.length, count: STATEMENTS_PER_MESSAGE })) as readonly Statement[] | undefined;
        if (!part || part.length === 0 || entry.stale) return undefined;
        for (const statement of part) statements.push(statement);
      }
      return { program: { ...head.program, statements }, diagnostics: head.diagnostics, runnable: head.runnable };
    })();
    return entry.runnable;
  }

  /**
   * The run with every step's machine, on the host (the panel paints those machines), in slices
   * that let the host's other tasks run between them (runForPanelSliced); given up when a newer
   * version supersedes this one.
   */
  private fullRunOf(entry: Entry): Promise<FullRun | undefined> {
    entry.fullRun ??= this.runnableOf(entry).then(async (analysis) => {
      if (!analysis || entry.stale) return undefined;
      this.stats.scenarioRuns += 1;
      const attempt = await this.runner().runForPanelSliced(entry.source, entry.document.fileName, this.nextRunId++, analysis, () => entry.stale || this.isDisposed);
      return attempt && !entry.stale ? { uri: entry.document.uri, version: entry.version, source: entry.source, analysis, attempt } : undefined;
    });
    return entry.fullRun;
  }

  private runner(): HostRunner {
    if (!this.hostRunner) throw new Error('AnalysisService: a full run needs useHostRunner() first');
    return this.hostRunner;
  }

  /** The version is superseded: nobody waits for it any more, and the worker stops on it. */
  private drop(entry: Entry): void {
    if (entry.stale) return;
    entry.stale = true;
    entry.analysed.resolve(false);
    entry.diagnosed.resolve(undefined);
    for (const [id, q] of this.queries) {
      if (q.entry !== entry) continue;
      q.answer.resolve(undefined);
      this.queries.delete(id);
    }
    if (!entry.pending) {
      // Finished: the worker only forgets its analysis.
      this.post({ type: 'cancel', id: entry.id });
      return;
    }
    this.stats.cancelled += 1;
    const running = this.inWorker[0] === entry;
    if (running && Date.now() - this.startedAt >= RESTART_AFTER_MS) {
      this.restart();
      return;
    }
    this.post({ type: 'cancel', id: entry.id });
  }

  /** Ends a worker busy with stale work and hands what is still wanted to a new one. */
  private restart(): void {
    this.stats.restarts += 1;
    this.worker?.terminate();
    // Queries die with the worker (their analyses are gone): their askers get nothing.
    for (const q of this.queries.values()) q.answer.resolve(undefined);
    this.queries.clear();
    const wanted = this.inWorker.splice(0).filter((e) => !e.stale);
    this.worker = this.connect();
    for (const entry of wanted) this.send(entry);
  }

  private connect(): WorkerEndpoint {
    const worker = this.startWorker();
    worker.onMessage((message) => {
      if (this.worker === worker) this.receive(message);
    });
    worker.onError((error) => {
      if (this.worker !== worker || this.isDisposed) return;
      this.log(`analysis worker failed: ${error.message}; starting another`);
      this.restart();
    });
    return worker;
  }

  private receive(message: FromWorker): void {
    const asked = this.queries.get(message.id);
    if (asked) {
      this.queries.delete(message.id);
      if (message.type === 'failed') this.log(`query failed: ${message.message}`);
      asked.answer.resolve(message.type === 'answered' ? message.answer : undefined);
      return;
    }
    const at = this.inWorker.findIndex((e) => e.id === message.id);
    const entry = this.inWorker[at];
    if (!entry) return;
    if (message.type === 'analysed') {
      this.stats.analyses += 1;
      entry.analysed.resolve(true);
      return;
    }
    this.inWorker.splice(at, 1);
    if (at === 0) this.startedAt = Date.now();
    entry.pending = false;
    if (message.type === 'cancelled' || message.type === 'answered') return;
    if (message.type === 'failed') {
      this.log(`analysis failed: ${message.message}`);
      entry.analysed.resolve(false);
      entry.diagnosed.resolve(undefined);
      return;
    }
    if (message.ran) this.stats.scenarioRuns += 1;
    entry.diagnosed.resolve(message.diagnostics);
  }
}

function sameSettings(a: AnalysisSettings, b: AnalysisSettings): boolean {
  return a.runExpectations === b.runExpectations && a.runBudget === b.runBudget;
}
