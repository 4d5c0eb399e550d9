// "Go to page": type `heap[123456]` (or `child heap[123456]`) and every page table that has that
// page shows it on a row of its own, in view — however many pages the region has. The box checks
// what it can (the region exists, the page is inside it) and says why not; the host finds the row.
import type { FoundPage, PanelSnapshot, RegionTable } from '../src/protocol/messages';
import { h } from './dom';
import { plural, thousands } from './format';
import { VISIBLE_ROWS } from './pageTable';

export interface PageRequest {
  readonly process: string | null;
  readonly region: string;
  readonly page: number;
}

/** `heap[123456]`, `heap[123,456]`, `child heap[5]` → the request; a reason otherwise. */
export function parsePageRequest(text: string, tables: readonly RegionTable[]): PageRequest | { readonly error: string } {
  const m = /^\s*(?:([A-Za-z_][\w-]*)\s*:?\s+)?([A-Za-z_][\w-]*)\s*\[\s*([\d,_ ]+)\s*\]\s*$/.exec(text);
  if (!m) return { error: 'Write a region and a page, like heap[123456] (or child heap[5]).' };
  const process = m[1] ?? null;
  const region = m[2] as string;
  const page = Number((m[3] as string).replace(/[,_ ]/g, ''));
  if (!Number.isSafeInteger(page)) return { error: `${m[3]} is not a page number.` };
  const named = tables.filter((t) => t.region === region && (process === null || t.process === process));
  if (named.length === 0) {
    const regions = [...new Set(tables.map((t) => (process === null ? t.region : `${t.process} ${t.region}`)))];
    const where = process === null ? `No region is called ${region}` : `${process} has no region ${region}`;
    return { error: `${where} at this step${regions.length > 0 ? ` (there is ${regions.join(', ')})` : ''}.` };
  }
  const pages = Math.max(...named.map((t) => t.pages));
  if (page >= pages) return { error: `${region} has ${plural(pages, 'page')}: 0 to ${thousands(pages - 1)}.` };
  return { process, region, page };
}

export class GoToPageBox {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private tables: readonly RegionTable[] = [];

  constructor(doc: Document, send: (request: PageRequest) => void) {
    this.input = h(doc, 'input', { type: 'text', class: 'goto-input', id: 'goto-page', placeholder: 'heap[123456]', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'goto-status' });
    const go = h(doc, 'vscode-button', { class: 'goto-go', secondary: true, tabindex: 0, icon: 'go-to-file', title: 'Show this page in every page table that has it' }, 'Go');
    this.status = h(doc, 'span', { class: 'goto-status', id: 'goto-status', role: 'status' });
    const submit = () => {
      const request = parsePageRequest(this.input.value, this.tables);
      if ('error' in request) {
        this.input.setAttribute('aria-invalid', 'true');
        this.status.textContent = request.error;
        return;
      }
      this.input.removeAttribute('aria-invalid');
      this.status.textContent = '';
      send(request);
    };
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      submit();
    });
    go.addEventListener('click', submit);
    this.element = h(doc, 'div', { class: 'goto', role: 'search', 'aria-label': 'Go to a page' }, h(doc, 'label', { for: 'goto-page', class: 'goto-label' }, 'Go to page'), this.input, go, this.status);
  }

  update(snapshot: PanelSnapshot): void {
    const machines = snapshot.step?.machines ?? [];
    this.tables = machines.flatMap((m) => m.processes.flatMap((p) => p.regions));
    // Only where a table has more pages than it shows at once (a four-page table needs no search).
    this.element.hidden = !this.tables.some((t) => t.pages > VISIBLE_ROWS);
  }

  /** What the host found: where the page is, in words. */
  found(region: string, page: number, found: readonly FoundPage[]): void {
    const where = found.map((f) => `${f.process}'s${f.machine === 'comparison' ? ' (full copy)' : ''}`);
    this.status.textContent = found.length === 0 ? `${region}[${thousands(page)}] is not in any table at this step.` : `${region}[${thousands(page)}] is marked in ${where.join(', ')} ${found.length === 1 ? 'table' : 'tables'}.`;
  }
}
