// What a hover says about the word under the cursor: a verb or keyword (what it does, the kernel
// function it models, an example), a process or region (where it was made, by which statement),
// or one of the fixed words of `expect` and `madvise`.
import { PAGE_SIZE } from '../../engine';
import { bytes, plural } from '../../protocol/format';
import {
  STATEMENT_KEYWORDS,
  STORAGE_VERBS,
  VERBS,
  contains,
  isAction,
  isStorageAction,
  isOneOf,
  symbolAt,
  type Analysis,
  type Range,
  type ScenarioSymbol,
  type Statement,
} from '../../language';
import {
  adviceMarkdown,
  counterMarkdown,
  keywordMarkdown,
  memoryFigureMarkdown,
  policyMarkdown,
  propertyMarkdown,
  regionKindMarkdown,
  statusMarkdown,
  verbMarkdown,
} from './docs';
import { lexLine } from '../../language/lexer';
import { blockPropertyMarkdown, blocksMarkdown, blocksText, fsTypeMarkdown, storageVerbMarkdown } from './storageDocs';
import { lineOf } from './text';

export interface HoverInfo {
  readonly markdown: string;
  readonly range: Range;
}

export function hoverAt(source: string, analysis: Analysis, line: number, col: number): HoverInfo | undefined {
  const hit = symbolAt(analysis.symbols, line, col);
  if (hit !== undefined) return { markdown: symbolMarkdown(source, analysis, hit.symbol), range: hit.range };
  const statement = analysis.program.statements.find((s) => s.range.line === line);
  return statement === undefined ? lexicalHover(lineOf(source, line), line, col) : wordHover(statement, line, col);
}

/** A line that does not parse yet (still being typed) still explains its verb or keyword. */
function lexicalHover(text: string, line: number, col: number): HoverInfo | undefined {
  const tokens = lexLine(text, line).tokens;
  const index = tokens.findIndex((t) => contains(t.range, line, col));
  const token = tokens[index];
  if (token === undefined || token.kind !== 'word') return undefined;
  if (index === 2 && tokens[1]?.text === ':' && isOneOf(STORAGE_VERBS, token.text)) return { markdown: storageVerbMarkdown(token.text), range: token.range };
  if (index === 2 && tokens[1]?.text === ':' && isOneOf(VERBS, token.text)) return { markdown: verbMarkdown(token.text), range: token.range };
  if (index === 0 && isOneOf(STATEMENT_KEYWORDS, token.text)) return { markdown: keywordMarkdown(token.text), range: token.range };
  return undefined;
}

function wordHover(s: Statement, line: number, col: number): HoverInfo | undefined {
  const at = (range: Range | undefined, markdown: () => string): HoverInfo | undefined =>
    range !== undefined && contains(range, line, col) ? { markdown: markdown(), range } : undefined;
  if (isAction(s)) {
    const verb = s.kind;
    return (
      at(s.verb, () => verbMarkdown(verb)) ??
      (s.kind === 'map' ? at(s.regionKindRange, () => regionKindMarkdown(s.regionKind)) ?? at(s.size, () => sizeMarkdown(s.pages)) : undefined) ??
      (s.kind === 'madvise' ? at(s.advice.range, () => adviceMarkdown(s.advice.text)) : undefined)
    );
  }
  if (isStorageAction(s)) {
    return at(s.verb, () => storageVerbMarkdown(s.kind)) ?? (s.kind === 'create' ? at(s.size, () => blocksMarkdown(s.blocks)) : undefined);
  }
  const keyword = at(s.keyword, () => keywordMarkdown(s.kind));
  if (keyword !== undefined) return keyword;
  if (s.kind === 'volume') return at(s.fsType.range, () => fsTypeMarkdown(s.fsType.text));
  if (s.kind === 'mode') return at(s.policy.range, () => policyMarkdown(s.policy.text));
  if (s.kind !== 'expect') return undefined;
  const claim = s.claim;
  switch (claim.kind) {
    case 'counter':
      return at(claim.counter.range, () => counterMarkdown(claim.counter.text));
    case 'status':
      return at(claim.status.range, () => statusMarkdown(claim.status.text));
    case 'memory':
      return at(claim.figure.range, () => memoryFigureMarkdown(claim.figure.text));
    case 'property':
      return at(claim.property.range, () => propertyMarkdown(claim.property.text));
    case 'block-property':
      return at(claim.property.range, () => blockPropertyMarkdown(claim.property.text));
    default:
      return undefined;
  }
}

function sizeMarkdown(pages: number): string {
  return `**${plural(pages, 'page')}** of 4 KiB (${bytes(pages * PAGE_SIZE)}). No frame is allocated until a page is touched.`;
}

/** "**child** — process, made on line 5 by `shell: fork child` (fork: …)". */
function symbolMarkdown(source: string, analysis: Analysis, symbol: ScenarioSymbol): string {
  const statementText = lineOf(source, symbol.statement.line).slice(symbol.statement.col - 1, symbol.statement.endCol - 1);
  const made = `on line ${symbol.definition.line} by \`${statementText}\``;
  const uses = symbol.references.length;
  const used = `\n\nUsed ${uses === 0 ? 'nowhere else' : `${uses} more time${uses === 1 ? '' : 's'}`}.`;
  switch (symbol.kind) {
    case 'process': {
      const how =
        symbol.createdBy === 'fork'
          ? ' — a fork child: a copy of its parent’s page tables, every private page shared copy-on-write.'
          : symbol.createdBy === 'vfork'
            ? ' — a vfork child: it borrows its parent’s address space until it execs or exits.'
            : ' — with an empty address space.';
      return `**${symbol.name}** (process)\n\nCreated ${made}${how}${used}`;
    }
    case 'region': {
      const pages = symbol.pages ?? 0;
      const kind = symbol.regionKind ?? 'private';
      const owner = symbol.owner !== undefined ? ` by \`${symbol.owner}\`` : '';
      const inherited = inheritedBy(analysis, symbol);
      return `**${symbol.name}** (region: ${pages} ${kind} page${pages === 1 ? '' : 's'})\n\nMapped${owner} ${made}.${inherited}${used}`;
    }
    case 'checkpoint':
      return `**${symbol.name}** (checkpoint)\n\nRecords the page tables ${made}: the panel and \`cow-lab run --json\` show them under this name.`;
    case 'volume':
      return symbol.snapshotOf !== undefined
        ? `**${symbol.name}** (volume: a btrfs snapshot of \`${symbol.snapshotOf}\`)\n\nMade ${made}: a subvolume on the same file system, sharing every block of its origin until either side writes.${used}`
        : `**${symbol.name}** (volume: ${symbol.fsType ?? '?'})\n\nCreated ${made}: a file system of its own.${used}`;
    case 'container':
      return `**${symbol.name}** (container: overlayfs)\n\nCreated ${made}: lower \`${symbol.lower ?? '?'}\` (read-only), upper directory on \`${symbol.upper ?? '?'}\`.${used}`;
    case 'file':
      return `**${symbol.name}** (file: ${blocksText(symbol.blocks ?? 0)})\n\nCreated ${made}${symbol.owner !== undefined ? ` in \`${symbol.owner}\`` : ''}.${used}`;
  }
}

/** Fork children that use the region: they inherited it from its owner. */
function inheritedBy(analysis: Analysis, region: ScenarioSymbol): string {
  const users = new Set<string>();
  for (const reference of region.references) {
    const statement = analysis.program.statements.find((s) => s.range.line === reference.line);
    const actor = statement === undefined ? undefined : isAction(statement) ? statement.process.text : statement.kind === 'expect' && statement.claim.kind !== 'counter' && statement.claim.kind !== 'status' && statement.claim.kind !== 'pipe-value' && statement.claim.kind !== 'memory' ? statement.claim.target.process.text : undefined;
    if (actor !== undefined && actor !== region.owner) users.add(actor);
  }
  if (users.size === 0) return '';
  const names = [...users].map((u) => `\`${u}\``).join(', ');
  return ` Also used by ${names}, which inherited it.`;
}
