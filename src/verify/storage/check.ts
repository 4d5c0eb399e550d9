// The storage half of `cow-lab verify`: plays a scenario's volume, container and file
// statements on real btrfs, XFS, ext4 and overlayfs (real.ts) and compares, at every
// checkpoint, the sharing structure of blocks with the storage model's: the pairs (model block,
// real block keyed by file system and FIEMAP physical number) over every file block must form a
// bijection. Also compared: each container file's layer (copied up or still lower), what each
// block reads, and FIEMAP's shared flag (FIEMAP_EXTENT_SHARED): on XFS per block against the
// model's reference count; on btrfs per data extent against what the model says of that extent
// (btrfsShared below).
import { existsSync, readFileSync } from 'node:fs';
import { runScenario, type CheckpointRecord } from '../../language';
import type { FsType, Storage } from '../../storage';
import { RealStorage } from './real';

export interface StorageRow {
  readonly where: string;
  readonly engine: string;
  readonly kernel: string;
}

export interface StorageDifference {
  readonly line: number;
  readonly title: string;
  readonly rows: readonly StorageRow[];
}

export type StorageVerdict = 'agrees' | 'disagrees' | 'not-checked';

export interface StorageReport {
  readonly verdict: StorageVerdict;
  readonly reason?: string;
  readonly differences: readonly StorageDifference[];
  readonly checkpoints: number;
  readonly blocksCompared: number;
  /** Cleanup problems (unmount, loop detach); never expected. */
  readonly cleanup: readonly string[];
}

/** Whether this machine can play storage statements, for the file systems a scenario uses. */
export function storageSupport(types: ReadonlySet<FsType>, overlay: boolean): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the storage check needs Linux; this is ${process.platform}` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'the storage check mounts file systems: it needs root' };
  if (!existsSync('/dev/loop-control')) return { ok: false, reason: 'no loop devices here (/dev/loop-control is missing)' };
  let filesystems = '';
  try {
    filesystems = readFileSync('/proc/filesystems', 'utf8');
  } catch {
    return { ok: false, reason: '/proc/filesystems is not readable' };
  }
  const wanted = [...types, ...(overlay ? ['overlay'] : [])];
  for (const fs of wanted) if (!new RegExp(`\\s${fs}$`, 'm').test(filesystems)) return { ok: false, reason: `this kernel does not offer ${fs} (/proc/filesystems)` };
  const tools: [string, string][] = [['filefrag', 'e2fsprogs'], ...[...types].map((t): [string, string] => [`mkfs.${t}`, t === 'btrfs' ? 'btrfs-progs' : t === 'xfs' ? 'xfsprogs' : 'e2fsprogs'])];
  if (types.has('btrfs')) tools.push(['btrfs', 'btrfs-progs']);
  for (const [tool, pkg] of tools) {
    if (!['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some((dir) => existsSync(`${dir}/${tool}`))) return { ok: false, reason: `${tool} is not installed (Debian package ${pkg})` };
  }
  return { ok: true };
}

/** Largest scenario the check plays: blocks written over the whole run (a real image is 1 GiB). */
const MAX_PLAYED_BLOCKS = 16_384;

export interface StorageCheckOptions {
  /**
   * Self-check of the comparer: compare the real file systems with the model run in mode eager
   * (which copies where the file systems share). A comparer that passes this is broken.
   */
  readonly compareWithEager?: boolean;
  /**
   * Self-check of the btrfs flag comparison: read btrfs's FIEMAP shared flag per block against the
   * model's reference count, as XFS's is. btrfs reports it per data extent, so a partly rewritten
   * extent must show the difference; a comparer that finds none is not reading the flag.
   */
  readonly btrfsFlagPerBlock?: boolean;
}

export function verifyStorageSource(source: string, options: StorageCheckOptions = {}): StorageReport {
  const empty = { differences: [], checkpoints: 0, blocksCompared: 0, cleanup: [] };
  const outcome = runScenario(source);
  const eager = options.compareWithEager === true ? runScenario(`mode eager\n${source}`) : undefined;
  if (!outcome.ok) return { ...empty, verdict: 'not-checked', reason: 'the scenario has errors' };
  const run = outcome.run;
  const steps = run.steps.filter((s) => s.storageOperation !== undefined);
  if (steps.length === 0) return { ...empty, verdict: 'not-checked', reason: 'no storage statement' };
  if (run.policy === 'eager') return { ...empty, verdict: 'not-checked', reason: 'mode eager copies where the file systems share: there is nothing real to compare it with' };
  const types = new Set<FsType>();
  let overlay = false;
  for (const s of steps) {
    const op = s.storageOperation;
    if (op?.op === 'volume') types.add(op.fs);
    if (op?.op === 'container') overlay = true;
  }
  const last = run.storage.latest.stats;
  if (last.blocksWritten + last.blocksCopied > MAX_PLAYED_BLOCKS) return { ...empty, verdict: 'not-checked', reason: `the scenario writes ${last.blocksWritten + last.blocksCopied} blocks; the check plays at most ${MAX_PLAYED_BLOCKS}` };
  const support = storageSupport(types, overlay);
  if (!support.ok) return { ...empty, verdict: 'not-checked', reason: support.reason };

  const real = new RealStorage();
  const differences: StorageDifference[] = [];
  let blocksCompared = 0;
  let checkpoints = 0;
  let cleanup: string[] = [];
  try {
    const checkpointAt = new Map<number, CheckpointRecord[]>();
    const models = eager?.ok === true ? eager.run.checkpoints : run.checkpoints;
    for (const [index, c] of run.checkpoints.entries()) {
      const at = c.name === 'end' ? run.steps.length - 1 : run.steps.findIndex((s) => s.checkpoint === c.name);
      const model = models[index] ?? c;
      checkpointAt.set(at, [...(checkpointAt.get(at) ?? []), { ...model, name: c.name, line: c.line }]);
    }
    for (const step of run.steps) {
      const op = step.storageOperation;
      if (op !== undefined) {
        try {
          play(real, op, run.storage.at(step.storage - 1), `${step.range.line}`);
        } catch (e) {
          differences.push({ line: step.range.line, title: `line ${step.range.line}: the real file system refused it`, rows: [{ where: 'statement', engine: 'accepted', kernel: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e) }] });
          break;
        }
      }
      for (const c of checkpointAt.get(step.index) ?? []) {
        checkpoints++;
        const d = compareCheckpoint(real, c, options.btrfsFlagPerBlock === true);
        blocksCompared += d.blocks;
        if (d.rows.length > 0) differences.push({ line: c.line, title: `checkpoint "${c.name}"`, rows: d.rows });
      }
    }
  } finally {
    cleanup = real.dispose();
  }
  const verdict = differences.length === 0 && cleanup.length === 0 ? 'agrees' : 'disagrees';
  return { verdict, differences, checkpoints, blocksCompared, cleanup };
}

function play(real: RealStorage, op: NonNullable<import('../../language').Step['storageOperation']>, before: Storage, tag: string): void {
  switch (op.op) {
    case 'volume':
      return real.volume(op.volume, op.fs);
    case 'snapshot':
      return real.snapshot(op.volume, op.snapshot);
    case 'container':
      return real.container(op.container, op.lower, op.upper);
    case 'create':
      return real.write(real.path(op.volume, op.file), 0, op.blocks - 1, op.value ?? '', `${tag}:${op.file}`, true);
    case 'write':
      return real.write(real.path(op.volume, op.file), op.first, op.last, op.value ?? '', `${tag}:${op.file}`, false);
    case 'read':
      for (let i = op.first; i <= op.last; i++) real.read(real.path(op.volume, op.file), i);
      return;
    case 'reflink':
      return real.reflink(real.path(op.volume, op.file), real.path(op.volume, op.target));
    case 'copy': {
      const size = before.resolve(op.volume, op.file)?.file.size ?? 0;
      return real.copy(real.path(op.volume, op.file), real.path(op.volume, op.target), size, tag);
    }
    case 'delete':
      return real.remove(real.path(op.volume, op.file));
  }
}

/**
 * Which real files reference each model block at a checkpoint: one identity per real file (its
 * path), so a container's view of a lower file and the lower volume's own file count once.
 */
function referencingFiles(real: RealStorage, storage: Storage): Map<number, Set<string>> {
  const byBlock = new Map<number, Set<string>>();
  for (const space of storage.spaces()) {
    for (const r of storage.resolvedFiles(space)) {
      const identity = real.location(space, r.file.name).path;
      for (let i = 0; i < r.file.size; i++) {
        const block = r.file.map.get(i);
        let files = byBlock.get(block);
        if (!files) byBlock.set(block, (files = new Set()));
        files.add(identity);
      }
    }
  }
  return byBlock;
}

/**
 * What btrfs's FIEMAP should say of the extent holding `block` for the file `identity`.
 * extent_fiemap (fs/btrfs/fiemap.c) asks btrfs_is_data_extent_shared (fs/btrfs/backref.c) once
 * per file extent item: it walks the data extent's back-references and says shared as soon as a
 * second inode or root refers to the extent (share_count > 1; references from the same inode do
 * not count, self_ref_count), or a tree block on the path to the file's leaf is shared with a
 * snapshot. So the flag covers the whole data extent: a block no other file references reads
 * shared while another file references any other block of its extent. In the model: shared when
 * some block of the same extent is referenced by a file other than this one.
 */
function btrfsShared(storage: Storage, files: Map<number, Set<string>>, block: number, identity: string): boolean {
  const extent = storage.extent(storage.block(block)?.extent ?? 0);
  const first = extent?.first ?? block;
  const length = extent?.length ?? 1;
  for (let b = first; b < first + length; b++) {
    for (const f of files.get(b) ?? []) if (f !== identity) return true;
  }
  return false;
}

function compareCheckpoint(real: RealStorage, c: CheckpointRecord, btrfsFlagPerBlock = false): { rows: StorageRow[]; blocks: number } {
  const storage = c.storage;
  const rows: StorageRow[] = [];
  const files = referencingFiles(real, storage);
  const engineToReal = new Map<number, string>();
  const realToEngine = new Map<string, number>();
  let blocks = 0;
  for (const space of storage.spaces()) {
    for (const r of storage.resolvedFiles(space)) {
      const file = r.file.name;
      const where = real.location(space, file);
      if (r.layer !== undefined && r.layer !== where.layer) {
        rows.push({ where: `${space} ${file}`, engine: r.layer === 'upper' ? (r.file.copiedUp ? 'copied up' : 'created in the upper directory') : 'only in the lower layer', kernel: where.layer === 'upper' ? 'in the upper directory' : 'not in the upper directory' });
      }
      let fiemap;
      try {
        fiemap = real.fiemap(where.path, where.fs);
      } catch (e) {
        rows.push({ where: `${space} ${file}`, engine: `${r.file.size} blocks`, kernel: `FIEMAP failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
        continue;
      }
      const xfs = storage.fsType(r.fs) === 'xfs' || (btrfsFlagPerBlock && storage.fsType(r.fs) === 'btrfs');
      const btrfs = storage.fsType(r.fs) === 'btrfs' && !btrfsFlagPerBlock;
      for (let i = 0; i < r.file.size; i++) {
        const engineBlock = r.file.map.get(i);
        const at = `${space} ${file}[${i}]`;
        const rb = fiemap.get(i);
        blocks++;
        if (rb === undefined) {
          rows.push({ where: at, engine: `block ${engineBlock}`, kernel: 'no physical block' });
          continue;
        }
        const key = `fs${rb.fs}:${rb.physical}`;
        const mappedReal = engineToReal.get(engineBlock);
        const mappedEngine = realToEngine.get(key);
        if (mappedReal !== undefined && mappedReal !== key) rows.push({ where: at, engine: `block ${engineBlock}, the same as another file block`, kernel: `${key}, not the same (that one is ${mappedReal})` });
        else if (mappedEngine !== undefined && mappedEngine !== engineBlock) rows.push({ where: at, engine: `block ${engineBlock}, its own`, kernel: `${key}, shared with a block the model keeps apart (block ${mappedEngine})` });
        engineToReal.set(engineBlock, key);
        realToEngine.set(key, engineBlock);
        if (xfs && (storage.refs(engineBlock) > 1) !== rb.shared) {
          rows.push({ where: at, engine: `block ${engineBlock}, ${storage.refs(engineBlock)} reference${storage.refs(engineBlock) === 1 ? '' : 's'}`, kernel: `FIEMAP says ${rb.shared ? 'shared' : 'not shared'}` });
        }
        if (btrfs && btrfsShared(storage, files, engineBlock, where.path) !== rb.shared) {
          const extent = storage.block(engineBlock)?.extent ?? 0;
          rows.push({ where: at, engine: `block ${engineBlock} in extent ${extent}, ${btrfsShared(storage, files, engineBlock, where.path) ? 'which another file references' : 'which no other file references'}`, kernel: `FIEMAP says ${rb.shared ? 'shared' : 'not shared'}` });
        }
        const value = storage.value(engineBlock);
        const read = real.read(where.path, i);
        if (read !== value) rows.push({ where: at, engine: `holds ${JSON.stringify(value)}`, kernel: `reads ${JSON.stringify(read)}` });
      }
    }
  }
  return { rows: rows.slice(0, 50), blocks };
}
