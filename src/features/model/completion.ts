// Completion items for a cursor position: what the language accepts there, with the names the
// scenario has declared by that line (scope.ts). Pure: the provider only maps these to VS Code.
import {
  ADVICE_WORDS,
  COMPARISONS,
  COUNTERS,
  MEMORY_FIGURES,
  MEMORY_FIGURE_DOCS,
  COUNTER_DOCS,
  KEYWORD_DOCS,
  PAGE_PROPERTIES,
  POLICIES,
  PROCESS_STATUSES,
  STATEMENT_KEYWORDS,
  VERBS,
  VERB_DOCS,
  type Analysis,
} from '../../language';
import { storageActors, storageCandidates } from './storageCompletion';
import { completionContext, type CompletionSlot } from './completionContext';
import { ADVICE_DOCS, PROPERTY_DOCS, STATUS_DOCS, verbMarkdown } from './docs';
import { actors, livingProcesses, scopeAt, type ProcessInScope, type Scope } from './scope';
import { lineOf } from './text';

export type CompletionKind = 'keyword' | 'verb' | 'process' | 'region' | 'page' | 'counter' | 'operator' | 'value' | 'property' | 'status' | 'unit';

export interface CompletionCandidate {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** What is inserted: a snippet (`${1:…}` placeholders) when `snippet` is set. */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** 1-based columns on the cursor's line that the insertion replaces. */
  readonly replace: { readonly col: number; readonly endCol: number };
  /** Orders the list: what fits best first. */
  readonly sortText: string;
  /** Ask for suggestions again right after inserting (a verb after `shell: `, …). */
  readonly retrigger?: boolean;
}

/** Completions at 1-based (line, col) of `source`, whose analysis is `analysis`. */
export function completionsAt(source: string, analysis: Analysis, line: number, col: number): CompletionCandidate[] {
  const context = completionContext(lineOf(source, line), line, col);
  const scope = scopeAt(analysis.program, line);
  const storage = storageCandidates(context.slot, analysis.program, line);
  const items = [...(context.slot.kind === 'line-start' ? storageActors(analysis.program, line) : []), ...(storage ?? candidates(context.slot, scope, analysis))];
  return items.map((item, index) => ({ ...item, replace: context.replace, sortText: `${String(index).padStart(4, '0')}` }));
}

type Draft = Omit<CompletionCandidate, 'replace' | 'sortText'>;

function candidates(slot: CompletionSlot, scope: Scope, analysis: Analysis): Draft[] {
  switch (slot.kind) {
    case 'line-start':
      return [...actors(scope).reverse().map(actorItem), ...keywordItems(scope, analysis)];
    case 'fs-type':
    case 'volume-name':
    case 'file':
      return [];
    case 'verb':
      return VERBS.map((verb) => ({
        label: verb,
        kind: 'verb',
        detail: VERB_DOCS[verb].kernel ?? '',
        documentation: verbMarkdown(verb),
        insertText: verb === 'exec' || verb === 'exit' ? verb : `${verb} `,
        retrigger: verb !== 'exec' && verb !== 'exit' && verb !== 'map' && verb !== 'fork' && verb !== 'vfork',
      }));
    case 'region':
      return regionItems(scope.processes.get(slot.process), slot.verb !== 'unmap' && slot.verb !== 'expect');
    case 'page':
      return pageItems(scope.processes.get(slot.process), slot.region, slot.after);
    case 'map-size-unit':
      return [
        ...['private', 'shared'].map((kind) => regionKindItem(kind)),
        ...['pages', 'KiB', 'MiB', 'GiB'].map((unit): Draft => ({ label: unit, kind: 'unit', detail: unit === 'pages' ? '4 KiB pages' : 'a whole number of 4 KiB pages', insertText: `${unit} `, retrigger: true })),
      ];
    case 'map-kind':
      return ['private', 'shared'].map((kind) => regionKindItem(kind));
    case 'advice':
      return ADVICE_WORDS.map((advice) => ({ label: advice, kind: 'value', detail: ADVICE_DOCS[advice].kernel, documentation: ADVICE_DOCS[advice].summary, insertText: advice }));
    case 'mode':
      return POLICIES.map((policy) => ({ label: policy, kind: 'value', detail: policy === 'cow' ? 'copy-on-write, what Linux does (default)' : 'fork copies every resident private page', insertText: policy }));
    case 'expect-start':
      return [
        ...COUNTERS.map((counter): Draft => ({ label: counter, kind: 'counter', detail: COUNTER_DOCS[counter], insertText: `${counter} == \${1:0}`, snippet: true })),
        ...[...scope.processes.values()].reverse().map((p): Draft => ({ label: p.name, kind: 'process', detail: describeProcess(p), insertText: `${p.name} `, retrigger: true })),
      ];
    case 'expect-comparison':
      return COMPARISONS.map((op) => ({ label: op, kind: 'operator', insertText: `${op} `, detail: `${slot.counter} ${op} N` }));
    case 'expect-question':
      return [{ label: '?', kind: 'operator', detail: 'ask: the run answers, never a failure', insertText: '?' }];
    case 'expect-after-process': {
      const process = scope.processes.get(slot.process);
      // `killed` (by the OOM killer) only where a `memory` header makes it possible.
      const statuses = PROCESS_STATUSES.filter((status) => status !== 'killed' || analysis.program.memory !== undefined).map((status): Draft => ({ label: status, kind: 'status', detail: STATUS_DOCS[status], insertText: status }));
      // rss / pss / uss (issue 17): the figures of a live process, what top, smem and smaps show.
      const figures = MEMORY_FIGURES.map((figure): Draft => ({ label: figure, kind: 'counter', detail: MEMORY_FIGURE_DOCS[figure], insertText: `${figure} == \${1:0}`, snippet: true }));
      return process?.state === 'exited' ? statuses : [...regionItems(process, true), ...figures, ...statuses];
    }
    case 'expect-claim':
      return claimItems(scope, slot.process, slot.region, slot.negated);
    case 'expect-with':
      return [{ label: 'with', kind: 'keyword', insertText: 'with ', retrigger: true }];
    case 'expect-other':
      return livingProcesses(scope)
        .filter((p) => p.name !== slot.process && p.regions.has(slot.region))
        .reverse()
        .map((p) => ({ label: p.name, kind: 'process', detail: describeProcess(p), insertText: p.name }));
    case 'expect-frame-op':
      return ['==', '!='].map((op) => ({ label: op, kind: 'operator', insertText: `${op} `, retrigger: true }));
    case 'none':
      return [];
  }
}

function actorItem(p: ProcessInScope): Draft {
  return { label: `${p.name}:`, kind: 'process', detail: describeProcess(p), documentation: `Write an action of **${p.name}**: \`${p.name}: verb …\``, insertText: `${p.name}: `, retrigger: true };
}

function keywordItems(scope: Scope, analysis: Analysis): Draft[] {
  // `mode` is a header: offered only where it may stand, before the first statement.
  const headerAllowed = scope.statementsBefore === 0 && analysis.program.mode === undefined;
  // `kernel` likewise, though it may follow `mode`.
  const onlyHeadersBefore = scope.statementsBefore === 0 || (scope.statementsBefore === 1 && analysis.program.statements[0]?.kind === 'mode');
  const kernelAllowed = onlyHeadersBefore && analysis.program.kernel === undefined;
  // `memory` may follow `mode` and `kernel`.
  const headers = analysis.program.statements.slice(0, scope.statementsBefore);
  const memoryAllowed = headers.every((s) => s.kind === 'mode' || s.kind === 'kernel') && analysis.program.memory === undefined;
  return STATEMENT_KEYWORDS.filter((k) => (k !== 'mode' || headerAllowed) && (k !== 'kernel' || kernelAllowed) && (k !== 'memory' || memoryAllowed)).map((keyword) => ({
    label: keyword,
    kind: 'keyword',
    detail: KEYWORD_DOCS[keyword].example,
    documentation: KEYWORD_DOCS[keyword].summary,
    insertText: keyword === 'note' || keyword === 'checkpoint' ? `${keyword} "\${1}"` : `${keyword} `,
    snippet: keyword === 'note' || keyword === 'checkpoint',
    retrigger: keyword === 'mode' || keyword === 'expect',
  }));
}

function regionItems(process: ProcessInScope | undefined, withPages: boolean): Draft[] {
  if (process === undefined) return [];
  return [...process.regions.values()].map((r) => ({
    label: r.name,
    kind: 'region',
    detail: `${r.pages} ${r.kind} page${r.pages === 1 ? '' : 's'} (mapped on line ${r.mappedOn})`,
    insertText: withPages ? `${r.name}[\${1:0}]` : r.name,
    snippet: withPages,
  }));
}

/** Pages of a region: each page, and the whole range first (or the pages from `after` on). */
function pageItems(process: ProcessInScope | undefined, regionName: string, after?: number): Draft[] {
  const region = process?.regions.get(regionName);
  if (region === undefined) return [];
  const lastPage = region.pages - 1;
  const from = after ?? 0;
  const items: Draft[] = [];
  if (after === undefined && lastPage > 0) items.push({ label: `0..${lastPage}`, kind: 'page', detail: `all ${region.pages} pages of ${regionName}`, insertText: `0..${lastPage}` });
  // A region may be gigabytes: list the first pages and the last one.
  const shown = 16;
  for (let page = from; page <= Math.min(lastPage, from + shown - 1); page += 1) items.push(pageItem(regionName, page));
  if (lastPage >= from + shown) items.push(pageItem(regionName, lastPage));
  return items;
}

function pageItem(region: string, page: number): Draft {
  return { label: String(page), kind: 'page', detail: `${region}[${page}]`, insertText: String(page) };
}

function regionKindItem(kind: string): Draft {
  return {
    label: kind,
    kind: 'keyword',
    detail: kind === 'private' ? 'MAP_PRIVATE: copy-on-write after fork (default)' : 'MAP_SHARED: every process writes the same frames',
    insertText: kind,
  };
}

function claimItems(scope: Scope, process: string, region: string, negated: boolean): Draft[] {
  const others = livingProcesses(scope).filter((p) => p.name !== process && p.regions.has(region)).reverse();
  const shared: Draft[] = others.map((p) => ({ label: `shared with ${p.name}`, kind: 'property', detail: 'the same physical frame', insertText: `shared with ${p.name}` }));
  if (others.length === 0) shared.push({ label: 'shared with', kind: 'property', detail: 'the same physical frame', insertText: 'shared with ', retrigger: true });
  const properties = PAGE_PROPERTIES.map((property): Draft => ({ label: property, kind: 'property', detail: PROPERTY_DOCS[property], insertText: property }));
  if (negated) return [...shared, ...properties];
  return [
    ...shared,
    ...properties,
    { label: 'not', kind: 'keyword', detail: 'negate the claim that follows', insertText: 'not ', retrigger: true },
    { label: 'frame ==', kind: 'operator', detail: 'the frame number (or ? to ask)', insertText: 'frame == ${1:?}', snippet: true },
    { label: '== "…"', kind: 'operator', detail: 'the value the page holds (or ? to ask)', insertText: '== "${1}"', snippet: true },
  ];
}

function describeProcess(p: ProcessInScope): string {
  const state = p.state === 'running' ? '' : ` (${p.state})`;
  return `process, created on line ${p.createdOn}${state}`;
}
