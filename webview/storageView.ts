// Storage in the panel: volumes and containers drawn like processes — each file a block table,
// with lines from its rows to the physical blocks they are stored in (a column per scenario,
// blocks in id order) — the file systems' space in use, and the storage cost table against a
// full copy (`mode eager`: snapshots, reflinks and copy-ups copy every block). Hidden while the
// scenario has no volume.
import type { PanelSnapshot, StorageRowsMessage } from '../src/protocol/messages';
import type { FileBlockRow, PhysicalBlockRow, SpacePanel, StoragePanel, StorageStatsView } from '../src/protocol/storage';
import { h, svg } from './dom';
import { bytes, plural, thousands } from './format';
import { drawLinks, LinkScheduler, overlaySize, type Link } from './links';
import { BlocksColumnView, FileTableView, STORAGE_FETCH } from './storageTables';
import { WindowRows } from './windowRows';

const PALETTE_SIZE = 8;
const FETCH_BEFORE = 32;

export interface StorageCallbacks {
  /** Rows of a file's table (space, file) or of the physical blocks (null, null). */
  readonly requestRows: (space: string | null, file: string | null, start: number, count: number) => void;
}

interface PlacedFile {
  readonly view: FileTableView;
  readonly colour: number;
}

const COST_ROWS: readonly { readonly label: string; readonly title: string; readonly read: (s: StorageStatsView) => number; readonly show: (n: number) => string }[] = [
  { label: 'Blocks in use', title: 'physical blocks allocated now, every file system (btrfs: whole extents)', read: (s) => s.blocks, show: (n) => `${thousands(n)} (${bytes(n * 4096)})` },
  { label: 'Peak blocks', title: 'most blocks in use at any step so far', read: (s) => s.peakBlocks, show: thousands },
  { label: 'Blocks copied', title: 'blocks filled by copying another: ordinary copies, copy-ups that copy, and every block a full copy duplicates', read: (s) => s.blocksCopied, show: thousands },
  { label: 'Bytes copied', title: 'blocks copied × 4 KiB', read: (s) => s.bytesCopied, show: bytes },
  { label: 'Blocks written', title: 'blocks written with new data by create and write', read: (s) => s.blocksWritten, show: thousands },
  { label: 'Kept by extents', title: 'btrfs: blocks no file references, kept allocated because the rest of their extent is still referenced', read: (s) => s.blocksKept, show: thousands },
];

export class StorageSection {
  readonly element: HTMLElement;
  private readonly fsSummary: HTMLElement;
  private readonly host: HTMLElement;
  private readonly costBody: HTMLElement;
  private readonly costHead: HTMLElement;
  private files: PlacedFile[] = [];
  private blocks: BlocksColumnView | null = null;
  private body: HTMLElement | null = null;
  private overlay: SVGSVGElement | null = null;
  private shape = '';
  private step: { runId: number; position: number } | null = null;
  private readonly links: LinkScheduler;

  constructor(private readonly doc: Document, private readonly callbacks: StorageCallbacks) {
    this.links = new LinkScheduler(doc, { scroll: () => this.applyScrolls(), measure: () => this.measureLinks() });
    this.fsSummary = h(doc, 'ul', { class: 'fs-summary' });
    this.host = h(doc, 'div', { class: 'storage-host' });
    this.costHead = h(doc, 'tr');
    this.costBody = h(doc, 'tbody');
    const cost = h(doc, 'table', { class: 'stats storage-cost', 'aria-label': 'Storage: copy-on-write compared with a full copy' }, h(doc, 'thead', {}, this.costHead), this.costBody);
    this.element = h(
      doc,
      'section',
      { class: 'storage', 'aria-label': 'Storage: volumes, containers, files and blocks' },
      h(doc, 'h2', { class: 'storage-title' }, 'Storage: files as block tables, and the physical blocks they use'),
      this.fsSummary,
      this.host,
      h(doc, 'div', { class: 'stats-section' }, h(doc, 'h2', {}, 'Storage cost'), cost),
    );
    this.element.hidden = true;
  }

  update(snapshot: PanelSnapshot): void {
    const step = snapshot.step;
    const storage = step?.storage ?? null;
    this.element.hidden = storage === null;
    if (!step || !storage) {
      this.step = null;
      return;
    }
    this.step = { runId: step.runId, position: step.position };
    this.renderSummary(storage);
    this.renderCost(storage);
    const shape = JSON.stringify(storage.spaces.map((s) => [s.name, s.kind, s.colour, s.isNew, s.snapshotOf, s.lowerOf, s.copyUp, s.files.map((f) => f.file)]));
    const fsType = this.fsTypeOf(storage);
    const blockRows = new WindowRows<PhysicalBlockRow>(storage.blocks.rowCount, storage.blocks.window);
    if (shape !== this.shape || !this.blocks || !this.body) {
      this.shape = shape;
      this.build(storage, blockRows, fsType);
    } else {
      for (const placed of this.files) {
        const t = storage.spaces.find((s) => s.name === placed.view.table.space)?.files.find((f) => f.file === placed.view.table.file);
        if (t) placed.view.update(t, new WindowRows<FileBlockRow>(t.rowCount, t.window));
      }
    }
    this.blocks?.update(blockRows, storage.blocks.firstChangedRow, fsType, blocksSummary(storage));
    this.scheduleLinks();
  }

  /** Rows the host sent after a scroll. */
  receive(message: StorageRowsMessage): void {
    if (!this.step || this.step.runId !== message.runId || this.step.position !== message.position) return;
    if (message.type === 'blockRows') {
      this.blocks?.rows.add(message.window);
      this.blocks?.list.render();
    } else {
      const placed = this.files.find((f) => f.view.table.space === message.space && f.view.table.file === message.file);
      placed?.view.rows.add(message.window);
      placed?.view.list.render();
    }
    this.scheduleLinks();
  }

  private fsTypeOf(storage: StoragePanel): (fs: number) => string {
    const types = new Map(storage.fileSystems.map((f) => [f.fs, f.type]));
    return (fs) => types.get(fs) ?? 'unknown';
  }

  private build(storage: StoragePanel, blockRows: WindowRows<PhysicalBlockRow>, fsType: (fs: number) => string): void {
    const doc = this.doc;
    this.files = [];
    const spaces = h(doc, 'div', { class: 'side left spaces' });
    for (const space of storage.spaces) spaces.appendChild(this.spaceBlock(space, storage.spaces.filter((c) => c.upper === space.name).map((c) => c.name)));
    this.blocks = new BlocksColumnView(doc, blockRows, storage.blocks.firstChangedRow, fsType, (first, last) => {
      const missing = this.blocks?.rows.firstMissing(first, last);
      if (missing !== undefined && this.blocks) {
        const start = Math.max(0, missing - FETCH_BEFORE);
        this.blocks.rows.markPending(start);
        this.callbacks.requestRows(null, null, start, STORAGE_FETCH);
      }
      this.scheduleLinks();
    });
    this.overlay = svg(doc, 'svg', { class: 'links', 'aria-hidden': 'true', focusable: 'false' }) as SVGSVGElement;
    this.body = h(doc, 'div', { class: 'diagram-body one-side storage-body' }, spaces, h(doc, 'div', { class: 'frames-col' }, this.blocks.element));
    this.body.appendChild(this.overlay);
    this.host.replaceChildren(this.body);
    for (const f of this.files) f.view.show();
  }

  /** @param upperOf containers whose upper directory is on this volume */
  private spaceBlock(space: SpacePanel, upperOf: readonly string[]): HTMLElement {
    const doc = this.doc;
    const badges: HTMLElement[] = [];
    if (space.isNew) badges.push(h(doc, 'vscode-badge', { class: 'badge', title: 'created by this step' }, 'new'));
    if (space.lowerOf.length > 0) badges.push(h(doc, 'vscode-badge', { class: 'badge', title: `the lower layer of ${space.lowerOf.join(', ')}: read-only while they exist` }, 'read-only'));
    const kind = space.kind === 'container' ? 'overlayfs container' : `${space.fsType} volume`;
    const block = h(
      doc,
      'section',
      { class: `process space owner-${space.colour % PALETTE_SIZE}${space.isNew ? ' is-new' : ''}`, 'aria-label': `${kind} ${space.name}`, 'data-space': space.name },
      h(doc, 'h3', { class: 'process-title' }, h(doc, 'span', { class: 'swatch', 'aria-hidden': 'true' }), space.name, h(doc, 'span', { class: 'pid' }, ` ${kind}`), ...badges),
    );
    const notes: string[] = [];
    if (space.snapshotOf !== null) notes.push(`A snapshot of ${space.snapshotOf} on the same btrfs file system: it started out sharing every block.`);
    if (space.kind === 'container') {
      notes.push(`Lower layer: ${space.lower ?? '?'} (read-only); upper directory on ${space.upper ?? '?'}. The first write to a lower file copies it up: ${space.copyUp === 'clone' ? 'a clone (same reflink-capable file system): its blocks are shared, not copied' : 'a full copy of every block'}.`);
    }
    if (upperOf.length > 0) notes.push(`Holds the upper directory of ${upperOf.join(', ')}: files written there are drawn in the container's view.`);
    for (const n of notes) block.appendChild(h(doc, 'p', { class: 'note' }, n));
    if (space.files.length === 0) block.appendChild(h(doc, 'p', { class: 'note' }, 'No files.'));
    for (const file of space.files) {
      const view = new FileTableView(doc, file, new WindowRows<FileBlockRow>(file.rowCount, file.window), (v, first, last) => {
        const missing = v.rows.firstMissing(first, last);
        if (missing !== undefined) {
          const start = Math.max(0, missing - FETCH_BEFORE);
          v.rows.markPending(start);
          this.callbacks.requestRows(v.table.space, v.table.file, start, STORAGE_FETCH);
        }
        this.scheduleLinks();
      });
      this.files.push({ view, colour: space.colour });
      block.appendChild(view.element);
    }
    return block;
  }

  private renderSummary(storage: StoragePanel): void {
    const items = storage.fileSystems.map((f) => {
      const kept = f.kept > 0 ? `, ${plural(f.kept, 'block')} of it kept only by partly referenced extents` : '';
      return `${f.type} file system fs${f.fs} (${f.volumes.join(', ')}): ${plural(f.used, 'block')} in use, ${bytes(f.used * 4096)}${kept}`;
    });
    const now = [...this.fsSummary.children].map((c) => c.textContent).join('\n');
    if (now === items.join('\n')) return;
    this.fsSummary.replaceChildren(...items.map((t) => h(this.doc, 'li', {}, t)));
  }

  private renderCost(storage: StoragePanel): void {
    const { primary, comparison } = storage.stats;
    const cow = storage.policy === 'cow' ? primary : comparison;
    const eager = storage.policy === 'eager' ? primary : comparison;
    this.costHead.replaceChildren(
      h(this.doc, 'th', { scope: 'col' }, 'After this step'),
      h(this.doc, 'th', { scope: 'col', class: 'cow' }, 'Copy-on-write'),
      h(this.doc, 'th', { scope: 'col', class: 'eager', title: 'the same statements with mode eager: snapshots, reflinks and copy-ups copy every block' }, 'Full copy'),
    );
    this.costBody.replaceChildren(
      ...COST_ROWS.map((row) => {
        const a = cow ? row.read(cow) : null;
        const b = eager ? row.read(eager) : null;
        const cell = (n: number | null, other: number | null) => h(this.doc, 'td', { class: n !== null && other !== null && n < other ? 'better' : '' }, n === null ? '—' : row.show(n));
        return h(this.doc, 'tr', {}, h(this.doc, 'th', { scope: 'row', title: row.title }, row.label), cell(a, b), cell(b, a));
      }),
    );
  }

  scheduleLinks(): void {
    this.links.schedule();
  }

  private applyScrolls(): void {
    for (const f of this.files) f.view.list.applyScroll();
    this.blocks?.list.applyScroll();
  }

  /** Reads where the lines go (with the other drawings of the frame: links.ts LinkPass); returns the writes that draw them. */
  private measureLinks(): (() => void) | null {
    const { overlay, body, blocks } = this;
    if (!overlay || !body || !blocks || this.element.hidden || overlay.getClientRects().length === 0) return null;
    const links = this.collectLinks(body, blocks);
    const size = overlaySize(body);
    return () => drawLinks(overlay, size, links, PALETTE_SIZE);
  }

  private collectLinks(body: HTMLElement, blocks: BlocksColumnView): Link[] {
    const origin = body.getBoundingClientRect();
    const column = blocks.list.element.getBoundingClientRect();
    const links: Link[] = [];
    const inside = (r: DOMRect, box: DOMRect) => r.top + r.height / 2 >= box.top && r.top + r.height / 2 <= box.bottom;
    for (const { view, colour } of this.files) {
      const box = view.list.element.getBoundingClientRect();
      for (const row of view.list.element.querySelectorAll<HTMLElement>('[data-block]')) {
        const rowBox = row.getBoundingClientRect();
        if (!inside(rowBox, box)) continue;
        const target = blocks.elementFor(Number(row.dataset.block));
        if (!target) continue;
        const to = target.getBoundingClientRect();
        if (!inside(to, column)) continue;
        links.push({
          from: { x: rowBox.right - origin.left, y: rowBox.top + rowBox.height / 2 - origin.top },
          to: { x: to.left - origin.left, y: to.top + to.height / 2 - origin.top },
          colour,
          cow: row.classList.contains('shared'),
          changed: row.classList.contains('changed'),
        });
      }
    }
    return links;
  }
}

function blocksSummary(storage: StoragePanel): string {
  const used = storage.fileSystems.reduce((n, f) => n + f.used, 0);
  const kept = storage.fileSystems.reduce((n, f) => n + f.kept, 0);
  return `${plural(used, 'block')} in use${kept > 0 ? `, ${thousands(kept)} kept` : ''} · ×N: file blocks referencing it`;
}

