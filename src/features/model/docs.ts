// The words of the language explained for hover and completion, built on the one-line docs in
// src/language/vocabulary.ts. Each verb gets a two-line example that runs as written after
// EXAMPLE_PRELUDE (test/unit/features/docs.test.ts runs every one and checks its expectations).
import {
  COUNTER_DOCS,
  KEYWORD_DOCS,
  VERB_DOCS,
  type AdviceWord,
  type Counter,
  type PageProperty,
  type ProcessStatusWord,
  type StatementKeyword,
  type Verb,
  MEMORY_FIGURE_DOCS,
  type MemoryFigure,
} from '../../language';

/** The scenario every verb example continues: a shell with 8 written private heap pages. */
export const EXAMPLE_PRELUDE = 'process shell\nshell: map heap 8 private\nshell: write heap[0..7] "data"\n';

/** Two lines that show each verb at work, after EXAMPLE_PRELUDE. */
export const VERB_EXAMPLES: Readonly<Record<Verb, readonly [string, string]>> = {
  map: ['shell: map stack 2 private', 'shell: write stack[0] "frame"'],
  unmap: ['shell: unmap heap', 'expect frames == 0'],
  read: ['shell: map fresh 2 private', 'shell: read fresh[1]'],
  write: ['shell: fork child', 'child: write heap[1] "mine"'],
  fork: ['shell: fork child', 'expect shell heap[0] shared with child'],
  vfork: ['shell: vfork helper', 'expect shell suspended'],
  exec: ['shell: fork child', 'child: exec'],
  exit: ['shell: fork child', 'child: exit'],
  madvise: ['shell: madvise heap[0..1] dontfork', 'shell: fork child'],
  vmsplice: ['shell: vmsplice heap[0] out', 'expect shell heap[0] refcount == 2'],
  drain: ['shell: vmsplice heap[0] out', 'shell: drain out'],
  pin: ['shell: pin heap[0]', 'shell: fork child'],
  unpin: ['shell: pin heap[0]', 'shell: unpin heap[0]'],
};

export const ADVICE_DOCS: Readonly<Record<AdviceWord, { readonly summary: string; readonly kernel: string }>> = {
  dontfork: { summary: 'A later fork child does not get these pages at all (dup_mmap skips VM_DONTCOPY): touching them there is a segmentation fault.', kernel: 'MADV_DONTFORK' },
  wipeonfork: { summary: 'A later fork child gets these pages zero-filled instead of shared (private mappings only).', kernel: 'MADV_WIPEONFORK' },
  normal: { summary: 'Undo dontfork and wipeonfork for these pages.', kernel: 'MADV_DOFORK / MADV_KEEPONFORK' },
};

export const PROPERTY_DOCS: Readonly<Record<PageProperty, string>> = {
  private: 'maps a frame through exactly one page-table entry (mapcount 1, pagemap bit 56) — "mapped once", not MAP_PRIVATE',
  exclusive: "carries the kernel's anonymous-exclusive mark (PageAnonExclusive, Linux 5.19 on): set when a fault gives or reuses the page, cleared by fork on the pages it shares",
  zero: 'maps the shared zero page (read but never written)',
  present: 'has a page-table entry',
  absent: 'has no page-table entry yet',
  writable: 'present and writable: a write will not fault',
  readonly: 'present and write-protected',
  cow: 'write-protected copy-on-write: the next write faults (do_wp_page)',
};

export const STATUS_DOCS: Readonly<Record<ProcessStatusWord, string>> = {
  running: 'the process can act',
  suspended: 'a vfork parent waiting for its child to exec or exit',
  exited: 'the process has ended; its frames were released (a process the OOM killer killed has exited too)',
  killed: 'the OOM killer killed it (SIGKILL) because a fault found every frame of `memory N` in use and it had the highest oom_badness',
};

const REGION_KIND_DOCS: Readonly<Record<'private' | 'shared', string>> = {
  private: '`private` (MAP_PRIVATE): after fork the pages are shared copy-on-write; the first write by either process copies the page.',
  shared: '`shared` (MAP_SHARED): every process that maps the region writes the same frames; nothing is ever copied.',
};

const POLICY_DOCS: Readonly<Record<'cow' | 'eager', string>> = {
  cow: '`mode cow`: fork shares pages copy-on-write, as Linux does (the default).',
  eager: '`mode eager`: fork copies every resident private page at once, the way early Unix did — compare the counters.',
};

function codeBlock(...lines: string[]): string {
  return ['```cow', ...lines, '```'].join('\n');
}

export function verbMarkdown(verb: Verb): string {
  const doc = VERB_DOCS[verb];
  const [first, second] = VERB_EXAMPLES[verb];
  const kernel = doc.kernel !== undefined ? `\n\nModels \`${doc.kernel}\` in the Linux kernel.` : '';
  return `**${verb}** — ${doc.summary}${kernel}\n\n${codeBlock(first, second)}`;
}

export function keywordMarkdown(keyword: StatementKeyword): string {
  const doc = KEYWORD_DOCS[keyword];
  return `**${keyword}** — ${doc.summary}\n\n${codeBlock(doc.example)}`;
}

export function counterMarkdown(counter: Counter): string {
  return `**${counter}** — ${COUNTER_DOCS[counter]}.\n\n${codeBlock(`expect ${counter} == ?`)}`;
}

export function memoryFigureMarkdown(figure: MemoryFigure): string {
  return `**${figure}** — ${MEMORY_FIGURE_DOCS[figure]}. Worked out the way \`smaps_account\` (fs/proc/task_mmu.c) does.\n\n${codeBlock(`expect child ${figure} == ?`)}`;
}

export function adviceMarkdown(advice: AdviceWord): string {
  return `**${advice}** (\`${ADVICE_DOCS[advice].kernel}\`) — ${ADVICE_DOCS[advice].summary}`;
}

export function propertyMarkdown(property: PageProperty): string {
  return `**${property}** — the page ${PROPERTY_DOCS[property]}.`;
}

export function statusMarkdown(status: ProcessStatusWord): string {
  return `**${status}** — ${STATUS_DOCS[status]}.`;
}

export function regionKindMarkdown(kind: 'private' | 'shared'): string {
  return REGION_KIND_DOCS[kind];
}

export function policyMarkdown(policy: 'cow' | 'eager'): string {
  return POLICY_DOCS[policy];
}
