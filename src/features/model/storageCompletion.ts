// Completion for storage statements: volume and container actors, storage verbs, files, file
// systems, block claims. Returns undefined where the slot is not about storage, so the memory
// completion (completion.ts) answers instead.
import { BLOCK_PROPERTIES, COUNTERS, COUNTER_DOCS, FS_TYPE_WORDS, STORAGE_VERB_DOCS, type Program } from '../../language';
import type { CompletionCandidate } from './completion';
import type { CompletionSlot } from './completionContext';
import { BLOCK_PROPERTY_DOCS, FS_TYPE_DOCS, storageVerbMarkdown } from './storageDocs';
import { storageScopeAt, type SpaceInScope } from './storageScope';
import { scopeAt } from './scope';

type Draft = Omit<CompletionCandidate, 'replace' | 'sortText'>;

export function storageCandidates(slot: CompletionSlot, program: Program, line: number): Draft[] | undefined {
  const spaces = storageScopeAt(program, line);
  const space = (name: string): SpaceInScope | undefined => spaces.get(name);
  switch (slot.kind) {
    case 'fs-type':
      return FS_TYPE_WORDS.map((type) => ({ label: type, kind: 'value', detail: FS_TYPE_DOCS[type], insertText: type }));
    case 'volume-name':
      return [...spaces.values()].filter((s) => s.kind === 'volume').reverse().map((s) => ({ label: s.name, kind: 'process', detail: `${s.detail} volume${slot.role === 'lower' ? ' — the image, read-only' : ' — holds the upper directory'}`, insertText: slot.role === 'lower' ? `${s.name} ` : s.name, retrigger: slot.role === 'lower' }));
    case 'verb': {
      const s = space(slot.process);
      if (s === undefined) return undefined;
      const verbs = s.kind === 'container' ? (['write', 'read', 'create', 'copy', 'delete'] as const) : (['create', 'write', 'read', 'reflink', 'copy', 'delete', 'snapshot'] as const);
      return verbs.map((verb) => ({ label: verb, kind: 'verb', detail: STORAGE_VERB_DOCS[verb].kernel ?? '', documentation: storageVerbMarkdown(verb), insertText: `${verb} `, retrigger: verb !== 'create' && verb !== 'snapshot' }));
    }
    case 'file':
      return fileItems(space(slot.space), false);
    case 'region':
    case 'expect-after-process': {
      const s = space(slot.process);
      return s === undefined ? undefined : fileItems(s, true);
    }
    case 'page': {
      const s = space(slot.process);
      if (s === undefined) return undefined;
      const blocks = s.files.get(slot.region) ?? 0;
      const items: Draft[] = [];
      if (slot.after === undefined && blocks > 1) items.push({ label: `0..${blocks - 1}`, kind: 'page', detail: `all ${blocks} blocks of ${slot.region}`, insertText: `0..${blocks - 1}` });
      for (let b = slot.after ?? 0; b < Math.min(blocks, (slot.after ?? 0) + 16); b++) items.push({ label: String(b), kind: 'page', detail: `${slot.region}[${b}]`, insertText: String(b) });
      return items;
    }
    case 'expect-start': {
      if (spaces.size === 0) return undefined;
      const counters = COUNTERS.map((counter): Draft => ({ label: counter, kind: 'counter', detail: COUNTER_DOCS[counter], insertText: `${counter} == \${1:0}`, snippet: true }));
      const names = [...spaces.values()].reverse().map((s): Draft => ({ label: s.name, kind: 'process', detail: `${s.kind}: ${s.detail}`, insertText: `${s.name} `, retrigger: true }));
      const processes = [...scopeAt(program, line).processes.values()].reverse().map((p): Draft => ({ label: p.name, kind: 'process', detail: `process, created on line ${p.createdOn}`, insertText: `${p.name} `, retrigger: true }));
      return [...counters, ...names, ...processes];
    }
    case 'expect-claim': {
      const s = space(slot.process);
      if (s === undefined) return undefined;
      const properties = BLOCK_PROPERTIES.filter((p) => p !== 'copied-up' || s.kind === 'container').map((p): Draft => ({ label: p, kind: 'property', detail: BLOCK_PROPERTY_DOCS[p], insertText: p }));
      const shared: Draft = { label: 'shared with', kind: 'property', detail: 'the same physical block as another file’s', insertText: 'shared with ', retrigger: true };
      if (slot.negated) return [shared, ...properties];
      return [
        shared,
        ...properties,
        { label: 'not', kind: 'keyword', detail: 'negate the claim that follows', insertText: 'not ', retrigger: true },
        { label: 'block ==', kind: 'operator', detail: 'the physical block number (or ? to ask)', insertText: 'block == ${1:?}', snippet: true },
        { label: '== "…"', kind: 'operator', detail: 'the value the block holds (or ? to ask)', insertText: '== "${1}"', snippet: true },
      ];
    }
    case 'expect-other': {
      if (space(slot.process) === undefined) return undefined;
      return [...spaces.values()].reverse().map((s) => ({ label: s.name, kind: 'process', detail: `${s.kind}: ${s.detail}`, insertText: `${s.name} `, retrigger: true }));
    }
    default:
      return undefined;
  }
}

/** `data:` and `web:` at the start of a line, newest first. */
export function storageActors(program: Program, line: number): Draft[] {
  return [...storageScopeAt(program, line).values()].reverse().map(spaceActor);
}

function spaceActor(s: SpaceInScope): Draft {
  return { label: `${s.name}:`, kind: 'process', detail: `${s.kind}: ${s.detail}`, documentation: `Act on **${s.name}**: \`${s.name}: create | write | read | reflink | copy | delete | snapshot …\``, insertText: `${s.name}: `, retrigger: true };
}

function fileItems(s: SpaceInScope | undefined, withBlocks: boolean): Draft[] {
  if (s === undefined) return [];
  return [...s.files.entries()].map(([name, blocks]) => ({
    label: name,
    kind: 'region',
    detail: `file of ${blocks} block${blocks === 1 ? '' : 's'} in ${s.name}`,
    insertText: withBlocks ? `${name}[\${1:0}]` : name,
    snippet: withBlocks,
  }));
}
