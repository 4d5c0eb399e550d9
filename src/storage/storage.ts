// Read-only views of one storage version, in the terms a learner uses: volumes, containers,
// files, their blocks with reference counts, file systems with the space in use.
import type { PVec } from '../engine/pvec';
import { applyStorage, type StorageOutcome } from './apply';
import { emptyStorage, type ContainerState, type FileState, type StorageData } from './state';
import type { BlockView, ContainerView, ExtentView, FileView, FsType, FsView, StorageOperation, StoragePolicy, StorageStats, VolumeView } from './types';

/** A file as a volume or a container's merged view shows it. */
export interface ResolvedFile {
  readonly file: FileState;
  /** The file system its blocks are on. */
  readonly fs: number;
  readonly layer?: 'lower' | 'upper';
}

export class Storage {
  /** @internal */
  constructor(readonly data: StorageData) {}

  get policy(): StoragePolicy {
    return this.data.policy;
  }

  get stats(): StorageStats {
    return this.data.stats;
  }

  apply(op: StorageOperation): StorageOutcome {
    return applyStorage(this.data, op);
  }

  isEmpty(): boolean {
    return this.data.volumes.size === 0;
  }

  volumes(): readonly VolumeView[] {
    return [...this.data.volumes.values()].map((v) => this.volume(v.name) as VolumeView);
  }

  volume(name: string): VolumeView | undefined {
    const v = this.data.volumes.get(name);
    if (v === undefined) return undefined;
    const lowerOf = [...this.data.containers.values()].filter((c) => c.lower === name).map((c) => c.name);
    return { name: v.name, fsType: this.fsType(v.fs), fs: v.fs, snapshotOf: v.snapshotOf, lowerOf };
  }

  containers(): readonly ContainerView[] {
    return [...this.data.containers.values()].map((c) => this.container(c.name) as ContainerView);
  }

  container(name: string): ContainerView | undefined {
    const c = this.data.containers.get(name);
    if (c === undefined) return undefined;
    const lower = this.data.volumes.get(c.lower);
    const upper = this.data.volumes.get(c.upper);
    const clone = this.data.policy === 'cow' && lower !== undefined && upper !== undefined && lower.fs === upper.fs && this.fsType(upper.fs) !== 'ext4';
    return { name: c.name, lower: c.lower, upper: c.upper, copyUp: clone ? 'clone' : 'copy' };
  }

  fileSystems(): readonly FsView[] {
    return this.data.filesystems.slice(1).map((f) => ({ fs: f.id, type: f.type, volumes: f.volumes, used: f.used, kept: f.kept }));
  }

  fsType(fs: number): FsType {
    return this.data.filesystems[fs]?.type ?? 'ext4';
  }

  /** Volume and container names, volumes first, each in creation order. */
  spaces(): readonly string[] {
    return [...this.data.volumes.keys(), ...this.data.containers.keys()];
  }

  /** The files of a volume, or a container's merged view (lower files first, then files made in the container). */
  files(space: string): readonly FileView[] {
    return this.resolvedFiles(space).map((r) => ({
      name: r.file.name,
      blocks: r.file.size,
      ...(r.layer !== undefined ? { layer: r.layer, copiedUp: r.file.copiedUp } : {}),
    }));
  }

  resolvedFiles(space: string): readonly ResolvedFile[] {
    const v = this.data.volumes.get(space);
    if (v !== undefined) return [...v.files.values()].map((file) => ({ file, fs: v.fs }));
    const c = this.data.containers.get(space);
    if (c === undefined) return [];
    return mergedView(this.data, c);
  }

  resolve(space: string, file: string): ResolvedFile | undefined {
    const v = this.data.volumes.get(space);
    if (v !== undefined) {
      const f = v.files.get(file);
      return f && { file: f, fs: v.fs };
    }
    const c = this.data.containers.get(space);
    if (c === undefined) return undefined;
    const up = c.files.get(file);
    const upper = this.data.volumes.get(c.upper);
    if (up !== undefined && upper !== undefined) return { file: up, fs: upper.fs, layer: 'upper' };
    const lower = this.data.volumes.get(c.lower);
    const low = c.whiteouts.has(file) ? undefined : lower?.files.get(file);
    return low && lower ? { file: low, fs: lower.fs, layer: 'lower' } : undefined;
  }

  /** The physical block behind block `index` of a file, 0 when there is none. */
  blockOf(space: string, file: string, index: number): number {
    const r = this.resolve(space, file);
    if (r === undefined || !Number.isInteger(index) || index < 0 || index >= r.file.size) return 0;
    return r.file.map.get(index);
  }

  /** A file's block map (logical index → physical block id): a persistent vector, read it with get(). */
  blockMap(space: string, file: string): PVec | undefined {
    return this.resolve(space, file)?.file.map;
  }

  block(id: number): BlockView | undefined {
    if (!Number.isInteger(id) || id <= 0) return undefined;
    const fs = this.data.owner.get(id);
    if (fs === 0) return undefined;
    return { block: id, fs, refs: this.data.refs.get(id), value: this.data.values.text(this.data.value.get(id)), extent: this.data.extentOf.get(id) };
  }

  refs(id: number): number {
    return this.data.refs.get(id);
  }

  value(id: number): string {
    return this.data.values.text(this.data.value.get(id));
  }

  extent(id: number): ExtentView | undefined {
    const length = this.data.extentLength.get(id);
    if (length === 0) return undefined;
    const first = this.data.extentFirst.get(id);
    if (this.data.owner.get(first) === 0) return undefined;
    return { extent: id, fs: this.data.owner.get(first), first, length, refs: this.data.extentRefs.get(id) };
  }

  /** Every allocated block id, ascending (for views and invariant checks). */
  forEachBlock(fn: (block: number, fs: number) => void): void {
    this.data.owner.forEachNonZero(fn);
  }
}

function mergedView(data: StorageData, c: ContainerState): ResolvedFile[] {
  const lower = data.volumes.get(c.lower);
  const upper = data.volumes.get(c.upper);
  if (lower === undefined || upper === undefined) return [];
  const out: ResolvedFile[] = [];
  for (const f of lower.files.values()) {
    if (c.whiteouts.has(f.name)) continue;
    const up = c.files.get(f.name);
    out.push(up !== undefined ? { file: up, fs: upper.fs, layer: 'upper' } : { file: f, fs: lower.fs, layer: 'lower' });
  }
  for (const f of c.files.values()) {
    if (!lower.files.has(f.name) || c.whiteouts.has(f.name)) out.push({ file: f, fs: upper.fs, layer: 'upper' });
  }
  return out;
}

export function createStorage(policy: StoragePolicy): Storage {
  return new Storage(emptyStorage(policy));
}
