// Decoding what the driver reports: raw /proc/self/pagemap words (Documentation/admin-guide/mm/
// pagemap.rst) and /proc/kpagecount values, run-length encoded as ITEM*COUNT lists.

/** One page-table entry as the kernel shows it. */
export interface KernelPte {
  /** Bit 63: the page is present (the zero page included). */
  readonly present: boolean;
  /** Bits 0–54: the frame number; 0 when present but hidden (no CAP_SYS_ADMIN). */
  readonly pfn: number;
  /** Bit 56, PM_MMAP_EXCLUSIVE: the page is mapped by exactly this one entry. */
  readonly exclusive: boolean;
  /** Bit 61, PM_FILE: file or shared-anonymous (shmem) page. */
  readonly file: boolean;
  /** /proc/kpagecount of the frame (how many entries map it), or null when not readable. */
  readonly count: number | null;
}

const PFN_MASK = (1n << 55n) - 1n;

export const ABSENT: KernelPte = { present: false, pfn: 0, exclusive: false, file: false, count: null };

/** Expands `a,b*3,c` into [a, b, b, b, c]; an empty string is an empty list. */
export function expandRuns(text: string): string[] {
  const out: string[] = [];
  if (text === '') return out;
  for (const item of text.split(',')) {
    const star = item.lastIndexOf('*');
    if (star < 0) {
      out.push(item);
      continue;
    }
    const n = Number(item.slice(star + 1));
    if (!Number.isInteger(n) || n < 1) throw new Error(`bad run length in '${item}'`);
    const value = item.slice(0, star);
    for (let i = 0; i < n; i++) out.push(value);
  }
  return out;
}

/** `PAGEMAPHEX/KPAGECOUNTHEX` → KernelPte. */
export function decodeEntry(item: string, kpagecount: boolean): KernelPte {
  const slash = item.indexOf('/');
  const raw = BigInt(`0x${slash < 0 ? item : item.slice(0, slash)}`);
  const present = (raw >> 63n) & 1n;
  if (!present) return ABSENT;
  const count = slash < 0 ? 0 : parseInt(item.slice(slash + 1), 16);
  return {
    present: true,
    pfn: Number(raw & PFN_MASK),
    exclusive: ((raw >> 56n) & 1n) === 1n,
    file: ((raw >> 61n) & 1n) === 1n,
    count: kpagecount ? count : null,
  };
}

export function decodeEntries(text: string, kpagecount: boolean): KernelPte[] {
  return expandRuns(text).map((item) => decodeEntry(item, kpagecount));
}

/** `ok 3=ENTRIES;5=ENTRIES` → region id → entries. */
export function decodePagemapReply(reply: string, kpagecount: boolean): Map<number, KernelPte[]> {
  const out = new Map<number, KernelPte[]>();
  const body = reply.startsWith('ok ') ? reply.slice(3) : '';
  if (body === '') return out;
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    out.set(Number(part.slice(0, eq)), decodeEntries(part.slice(eq + 1), kpagecount));
  }
  return out;
}

/** One written page: its entry before and after the store, and the faults the store took. */
export interface KernelWrite {
  readonly before: KernelPte;
  readonly after: KernelPte;
  readonly faults: number;
}

/** `ok BEFORE AFTER FAULTS` of a write → one KernelWrite per page. */
export function decodeWriteReply(reply: string, kpagecount: boolean): KernelWrite[] {
  const [, before = '', after = '', faults = ''] = reply.split(' ');
  const b = decodeEntries(before, kpagecount);
  const a = decodeEntries(after, kpagecount);
  const f = expandRuns(faults).map(Number);
  return b.map((pte, i) => ({ before: pte, after: a[i] ?? ABSENT, faults: f[i] ?? 0 }));
}

/** `HEX,-,HEX*2` → each page's text (bytes up to the first NUL, as UTF-8; `-` is empty). */
export function decodeTexts(text: string): string[] {
  return expandRuns(text).map((hex) => (hex === '-' ? '' : Buffer.from(hex, 'hex').toString('utf8')));
}

/** `ok 0=TEXTS;1=TEXTS` of `pipes` → pipe name → the text of each page it holds. */
export function decodePipesReply(reply: string, names: ReadonlyMap<number, string>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const body = reply.startsWith('ok ') ? reply.slice(3) : '';
  if (body === '') return out;
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    const name = names.get(Number(part.slice(0, eq)));
    if (name !== undefined) out[name] = decodeTexts(part.slice(eq + 1));
  }
  return out;
}

/** `ok HEX,-,HEX*2 FAULTS` of a read → each page's text (bytes up to the first NUL, as UTF-8) and the faults its first access took. */
export function decodeReadReply(reply: string): { values: string[]; faults: number[] } {
  const [, values = '', faults = ''] = reply.split(' ');
  return {
    values: decodeTexts(values),
    faults: expandRuns(faults).map(Number),
  };
}
