// The storage operation a statement stands for, if it is a storage statement: `volume`,
// `container`, a storage verb, or `read`/`write` whose actor is a volume or container.
import type { Storage, StorageOperation } from '../storage';
import type { PageSelector, Statement } from './ast';

export function toStorageOperation(s: Statement, storage: Storage): StorageOperation | undefined {
  switch (s.kind) {
    case 'volume':
      return { op: 'volume', volume: s.name.text, fs: s.fsType.text };
    case 'container':
      return { op: 'container', container: s.name.text, lower: s.lower.text, upper: s.upper.text };
    case 'create':
      return { op: 'create', volume: s.process.text, file: s.file.text, blocks: s.blocks, ...(s.value !== undefined ? { value: s.value.value } : {}) };
    case 'reflink':
    case 'copy':
      return { op: s.kind, volume: s.process.text, file: s.file.text, target: s.target.text };
    case 'delete':
      return { op: 'delete', volume: s.process.text, file: s.file.text };
    case 'snapshot':
      return { op: 'snapshot', volume: s.process.text, snapshot: s.snapshot.text };
    case 'read':
    case 'write': {
      if (!isSpace(storage, s.process.text)) return undefined;
      const { first, last } = blockRange(storage, s.process.text, s.target);
      if (s.kind === 'read') return { op: 'read', volume: s.process.text, file: s.target.region.text, first, last };
      return { op: 'write', volume: s.process.text, file: s.target.region.text, first, last, ...(s.value !== undefined ? { value: s.value.value } : {}) };
    }
    default:
      return undefined;
  }
}

export function isSpace(storage: Storage, name: string): boolean {
  return storage.volume(name) !== undefined || storage.container(name) !== undefined;
}

/** `log[1..3]` → 1..3; `log` → every block of the file as it is now. */
export function blockRange(storage: Storage, space: string, selector: PageSelector): { first: number; last: number } {
  if (selector.pages !== undefined) return { first: selector.pages.first, last: selector.pages.last };
  const file = storage.resolve(space, selector.region.text);
  return { first: 0, last: Math.max(0, (file?.file.size ?? 1) - 1) };
}
