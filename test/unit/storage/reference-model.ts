// A naive model of what each file holds — contents only, no blocks, no sharing — to hold the
// storage model's contents against. Copy-on-write must never change what any file reads.
import type { FsType, StorageOperation } from '../../../src/storage';

interface RefContainer {
  readonly lower: string;
  readonly upper: string;
  readonly files: Map<string, string[]>;
  readonly whiteouts: Set<string>;
}

export class ReferenceStorage {
  readonly volumes = new Map<string, { type: FsType; files: Map<string, string[]> }>();
  readonly containers = new Map<string, RefContainer>();

  /** A container's merged view, or a volume's files. */
  files(space: string): Map<string, string[]> {
    const v = this.volumes.get(space);
    if (v !== undefined) return v.files;
    const c = this.containers.get(space);
    if (c === undefined) return new Map();
    const out = new Map<string, string[]>();
    for (const [name, blocks] of this.volumes.get(c.lower)?.files ?? []) if (!c.whiteouts.has(name)) out.set(name, c.files.get(name) ?? blocks);
    for (const [name, blocks] of c.files) out.set(name, blocks);
    return out;
  }

  apply(op: StorageOperation): void {
    switch (op.op) {
      case 'volume':
        this.volumes.set(op.volume, { type: op.fs, files: new Map() });
        return;
      case 'snapshot': {
        const v = this.volumes.get(op.volume);
        if (v) this.volumes.set(op.snapshot, { type: v.type, files: new Map([...v.files].map(([n, b]) => [n, b.slice()])) });
        return;
      }
      case 'container':
        this.containers.set(op.container, { lower: op.lower, upper: op.upper, files: new Map(), whiteouts: new Set() });
        return;
      default:
        break;
    }
    const c = this.containers.get(op.volume);
    const target = c ? c.files : (this.volumes.get(op.volume)?.files ?? new Map<string, string[]>());
    const view = this.files(op.volume);
    switch (op.op) {
      case 'create':
        target.set(op.file, new Array<string>(op.blocks).fill(op.value ?? ''));
        c?.whiteouts.delete(op.file);
        return;
      case 'write': {
        const blocks = (view.get(op.file) ?? []).slice();
        for (let i = op.first; i <= op.last; i++) blocks[i] = op.value ?? '';
        target.set(op.file, blocks);
        return;
      }
      case 'reflink':
      case 'copy':
        target.set(op.target, (view.get(op.file) ?? []).slice());
        c?.whiteouts.delete(op.target);
        return;
      case 'delete':
        target.delete(op.file);
        if (c && this.volumes.get(c.lower)?.files.has(op.file)) c.whiteouts.add(op.file);
        return;
      case 'read':
        return;
    }
  }
}
