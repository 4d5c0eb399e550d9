// Applying one storage operation to one version: validate, mutate inside a transaction, explain
// in one sentence that names the kernel function doing the work. Never throws for bad input:
// a refused operation is an outcome with an error.
import { explainBytes, plural } from './words';
import type { ContainerState, FileState, StorageData, VolumeState } from './state';
import { fill, StorageLimitError, StorageTx } from './tx';
import { MAX_FILE_BLOCKS, type FsType, type StorageError, type StorageEvent, type StorageOperation } from './types';

export type StorageOutcome =
  | { readonly ok: true; readonly data: StorageData; readonly events: readonly StorageEvent[]; readonly explanation: string }
  | { readonly ok: false; readonly error: StorageError };

class Refusal extends Error {
  constructor(readonly error: StorageError) {
    super(error.message);
  }
}

function refuse(code: StorageError['code'], message: string): never {
  throw new Refusal({ code, message });
}

export function applyStorage(data: StorageData, op: StorageOperation): StorageOutcome {
  const tx = new StorageTx(data);
  try {
    const explanation = run(tx, op);
    return { ok: true, data: tx.freeze(), events: tx.events, explanation };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, error: e.error };
    if (e instanceof StorageLimitError) return { ok: false, error: { code: 'too-large', message: e.message } };
    throw e;
  }
}

const MOUNT: Readonly<Record<FsType, string>> = { btrfs: 'btrfs_fill_super', xfs: 'xfs_fs_fill_super', ext4: 'ext4_fill_super' };

function run(tx: StorageTx, op: StorageOperation): string {
  switch (op.op) {
    case 'volume': {
      freeName(tx, op.volume);
      const fs = tx.filesystems.length;
      tx.filesystems.push({ id: fs, type: op.fs, volumes: [op.volume], used: 0, kept: 0 });
      tx.volumes.set(op.volume, { name: op.volume, fs, snapshotOf: null, files: new Map() });
      tx.events.push({ kind: 'volume-created', volume: op.volume, fs, fsType: op.fs });
      return `${op.volume} is a new, empty ${op.fs} file system of its own, mounted (${MOUNT[op.fs]}).`;
    }
    case 'snapshot':
      return snapshot(tx, op.volume, op.snapshot);
    case 'container':
      return container(tx, op.container, op.lower, op.upper);
    default: {
      const c = tx.containers.get(op.volume);
      if (c !== undefined) return inContainer(tx, c, op);
      return inVolume(tx, volume(tx, op.volume), op);
    }
  }
}

function freeName(tx: StorageTx, name: string): void {
  if (tx.volumes.has(name) || tx.containers.has(name)) refuse('duplicate-name', `a volume or container named '${name}' already exists`);
}

function volume(tx: StorageTx, name: string): VolumeState {
  const v = tx.volumes.get(name);
  if (v === undefined) refuse('unknown-volume', `no volume or container named '${name}'`);
  return v;
}

function fileIn(files: ReadonlyMap<string, FileState>, where: string, name: string): FileState {
  const f = files.get(name);
  if (f === undefined) refuse('unknown-file', `${where} has no file '${name}'`);
  return f;
}

function lowerOf(tx: StorageTx, name: string): string[] {
  return [...tx.containers.values()].filter((c) => c.lower === name).map((c) => c.name);
}

function checkRange(file: FileState, where: string, first: number, last: number): void {
  if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 0 && first <= last && last < file.size)) {
    refuse('block-out-of-range', `${where} ${file.name}[${first}..${last}] is outside the file, which has ${plural(file.size, 'block')} (0..${file.size - 1})`);
  }
}

function checkSize(blocks: number): void {
  if (!Number.isInteger(blocks) || blocks < 1) refuse('too-large', 'a file needs at least one block');
  if (blocks > MAX_FILE_BLOCKS) refuse('too-large', `a file holds at most ${MAX_FILE_BLOCKS} blocks (4 GiB)`);
}

function setVolumeFiles(tx: StorageTx, v: VolumeState, files: Map<string, FileState>): void {
  tx.volumes.set(v.name, { ...v, files });
}

function inVolume(tx: StorageTx, v: VolumeState, op: Exclude<StorageOperation, { op: 'volume' | 'snapshot' | 'container' }>): string {
  const type = tx.fsType(v.fs);
  const at = (file: string) => ({ volume: v.name, file });
  if (op.op !== 'read') {
    const users = lowerOf(tx, v.name);
    if (users.length > 0) {
      refuse('read-only', `${v.name} is the lower layer of container ${users.join(', ')}: overlayfs requires its lower layers not to change while mounted`);
    }
  }
  const files = new Map(v.files);
  switch (op.op) {
    case 'create': {
      if (files.has(op.file)) refuse('duplicate-name', `${v.name} already has a file '${op.file}'`);
      checkSize(op.blocks);
      files.set(op.file, createFile(tx, v.fs, op.file, op.blocks, op.value, at(op.file)));
      setVolumeFiles(tx, v, files);
      return `${v.name} created ${op.file}: ${plural(op.blocks, 'block')} written, each to a newly allocated block (${ALLOCATE[type]}).`;
    }
    case 'write': {
      const file = fileIn(files, v.name, op.file);
      checkRange(file, v.name, op.first, op.last);
      const result = writeBlocks(tx, v.fs, file, op.first, op.last, op.value, at(op.file));
      files.set(op.file, result.file);
      setVolumeFiles(tx, v, files);
      return explainWrite(v.name, type, op.file, op.first, op.last, result);
    }
    case 'read': {
      const file = fileIn(files, v.name, op.file);
      checkRange(file, v.name, op.first, op.last);
      return explainRead(tx, v.name, file, op.first, op.last, undefined);
    }
    case 'reflink': {
      const src = fileIn(files, v.name, op.file);
      if (files.has(op.target)) refuse('duplicate-name', `${v.name} already has a file '${op.target}'`);
      if (type === 'ext4') refuse('not-supported', `ext4 cannot share blocks between files: FICLONE fails with EOPNOTSUPP (ext4 has no remap_file_range)`);
      if (tx.base.policy === 'eager') {
        files.set(op.target, tx.copyFile(src, op.target, v.fs));
        setVolumeFiles(tx, v, files);
        tx.events.push({ kind: 'blocks-copied', from: at(op.file), to: at(op.target), blocks: src.size });
        return `mode eager: ${v.name} copied ${op.file} to ${op.target} block by block instead of sharing — ${plural(src.size, 'block')}, ${explainBytes(src.size)} copied.`;
      }
      files.set(op.target, tx.shareFile(src, op.target));
      setVolumeFiles(tx, v, files);
      tx.events.push({ kind: 'blocks-shared', from: at(op.file), to: at(op.target), blocks: src.size });
      return type === 'btrfs'
        ? `${op.target} now references the same ${plural(src.size, 'block')} as ${op.file} (FICLONE → btrfs_remap_file_range → btrfs_clone adds a reference to each extent): nothing copied.`
        : `${op.target} now maps the same ${plural(src.size, 'block')} as ${op.file}, each counted twice in the refcount btree (FICLONE → xfs_file_remap_range → xfs_reflink_remap_blocks): nothing copied.`;
    }
    case 'copy': {
      const src = fileIn(files, v.name, op.file);
      if (files.has(op.target)) refuse('duplicate-name', `${v.name} already has a file '${op.target}'`);
      files.set(op.target, tx.copyFile(src, op.target, v.fs));
      setVolumeFiles(tx, v, files);
      tx.events.push({ kind: 'blocks-copied', from: at(op.file), to: at(op.target), blocks: src.size });
      return `An ordinary copy: every block of ${op.file} was read and written to a newly allocated block of ${op.target} — ${plural(src.size, 'block')}, ${explainBytes(src.size)} copied.`;
    }
    case 'delete': {
      const file = fileIn(files, v.name, op.file);
      files.delete(op.file);
      setVolumeFiles(tx, v, files);
      const before = tx.freed;
      tx.dropFile(file);
      tx.events.push({ kind: 'file-deleted', at: at(op.file), whiteout: false });
      if (tx.freed > before) tx.events.push({ kind: 'blocks-freed', blocks: tx.freed - before });
      return explainDelete(type, v.name, op.file, file.size, tx.freed - before);
    }
  }
}

const ALLOCATE: Readonly<Record<FsType, string>> = {
  btrfs: 'btrfs allocates them as one extent per 128 MiB when they are written back: cow_file_range',
  xfs: 'delayed allocation: xfs_bmapi_convert_delalloc at writeback',
  ext4: 'delayed allocation: ext4_map_blocks at writeback',
};

function createFile(tx: StorageTx, fs: number, name: string, blocks: number, value: string | undefined, at: { volume: string; file: string }): FileState {
  const id = tx.base.values.intern(value ?? '');
  const first = tx.allocate(fs, blocks, () => id);
  tx.blocksWritten += blocks;
  tx.events.push({ kind: 'file-created', at, blocks });
  return { name, size: blocks, map: fill(blocks, tx.token, (i) => first + i), copiedUp: false };
}

export interface WriteResult {
  readonly file: FileState;
  readonly inPlace: number;
  readonly cow: number;
  /** btrfs: blocks written to a new extent. */
  readonly moved: number;
  /** Blocks freed by this write (an old extent or block nobody references any more). */
  readonly freed: number;
}

/** Writes blocks first..last of `file` on file system `fs` the way that file system does. */
function writeBlocks(tx: StorageTx, fs: number, file: FileState, first: number, last: number, value: string | undefined, at: { volume: string; file: string }): WriteResult {
  const type = tx.fsType(fs);
  const id = tx.base.values.intern(value ?? '');
  const count = last - first + 1;
  const editor = file.map.edit(tx.token);
  const freedBefore = tx.freed;
  let inPlace = 0;
  let cow = 0;
  let moved = 0;
  if (type === 'btrfs') {
    // Data is never overwritten in place: the range goes to a new extent, the old blocks lose a reference.
    const fresh = tx.allocate(fs, count, () => id);
    for (let i = 0; i < count; i++) {
      const old = editor.get(first + i);
      editor.set(first + i, fresh + i);
      tx.unref(old);
    }
    moved = count;
    tx.events.push({ kind: 'block-written', at, index: first, block: fresh, how: 'new-extent' });
  } else {
    for (let i = first; i <= last; i++) {
      const old = editor.get(i);
      if (type === 'xfs' && tx.refs.get(old) > 1) {
        const fresh = tx.allocate(fs, 1, () => id);
        editor.set(i, fresh);
        tx.unref(old);
        cow++;
        if (cow <= 64) tx.events.push({ kind: 'block-written', at, index: i, block: fresh, how: 'cow' });
      } else {
        tx.value.set(old, id);
        inPlace++;
        if (inPlace <= 64) tx.events.push({ kind: 'block-written', at, index: i, block: old, how: 'in-place' });
      }
    }
  }
  tx.blocksWritten += count;
  return { file: { ...file, map: editor.freeze() }, inPlace, cow, moved, freed: tx.freed - freedBefore };
}

function range(file: string, first: number, last: number): string {
  return first === last ? `${file}[${first}]` : `${file}[${first}..${last}]`;
}

function explainWrite(where: string, type: FsType, file: string, first: number, last: number, r: WriteResult): string {
  const target = `${where} wrote ${range(file, first, last)}`;
  if (type === 'btrfs') {
    const freed = r.freed > 0 ? `; ${plural(r.freed, 'old block')} freed with ${r.freed === 1 ? 'its' : 'their'} extent` : '; the old blocks stay allocated while the rest of their extent is referenced';
    return `${target}: btrfs never overwrites data in place, so cow_file_range put ${r.moved === 1 ? 'the block' : `the ${plural(r.moved, 'block')}`} in a new extent${freed}.`;
  }
  if (type === 'ext4') return `${target} in place (ext4_buffered_write_iter): ext4 never shares blocks, so there is nothing to copy.`;
  if (r.cow === 0) return `${target} in place: no block was shared, so XFS needs no copy (xfs_buffered_write_iomap_begin maps the existing block).`;
  const shared = `${plural(r.cow, 'shared block')} got a new block in the file's CoW fork (xfs_buffered_write_iomap_begin), remapped when the write completed (xfs_reflink_end_cow); the old block lost a reference`;
  return r.inPlace === 0 ? `${target}: ${shared}.` : `${target}: ${shared}; ${plural(r.inPlace, 'unshared block')} written in place.`;
}

function explainRead(tx: StorageTx, where: string, file: FileState, first: number, last: number, layer: 'lower' | 'upper' | undefined): string {
  const b = file.map.get(first);
  const from = layer === 'lower' ? ' from the lower layer (ovl_read_iter passes the read to the real file)' : '';
  if (first === last) {
    const value = tx.base.values.text(tx.value.get(b));
    return `${where} read ${file.name}[${first}]${from}: ${JSON.stringify(value)} from block ${b}; reading never copies.`;
  }
  return `${where} read ${range(file.name, first, last)}${from}: ${plural(last - first + 1, 'block')}; reading never copies.`;
}

function explainDelete(type: FsType, where: string, file: string, size: number, freed: number): string {
  const evict = type === 'btrfs' ? 'btrfs_evict_inode' : type === 'xfs' ? 'xfs_inactive' : 'ext4_evict_inode';
  const kept = type === 'btrfs' ? ' (a btrfs extent is freed only when no block of it is referenced)' : '';
  if (freed === 0) return `${where} deleted ${file}: its ${plural(size, 'block reference')} went away (${evict}), but every block is still referenced elsewhere, so none was freed${kept}.`;
  return `${where} deleted ${file}: its ${plural(size, 'block reference')} went away (${evict}) and ${plural(freed, 'block')} no longer referenced ${freed === 1 ? 'was' : 'were'} freed${kept}.`;
}

function snapshot(tx: StorageTx, name: string, snap: string): string {
  if (tx.containers.has(name)) refuse('not-supported', `${name} is a container: only a btrfs volume (subvolume) can be snapshotted`);
  const v = volume(tx, name);
  const type = tx.fsType(v.fs);
  if (type !== 'btrfs') refuse('not-supported', `${name} is ${type}: only btrfs has subvolume snapshots (BTRFS_IOC_SNAP_CREATE_V2)`);
  freeName(tx, snap);
  const files = new Map<string, FileState>();
  let blocks = 0;
  const eager = tx.base.policy === 'eager';
  for (const f of v.files.values()) {
    files.set(f.name, eager ? tx.copyFile(f, f.name, v.fs) : tx.shareFile(f, f.name));
    blocks += f.size;
  }
  tx.volumes.set(snap, { name: snap, fs: v.fs, snapshotOf: name, files });
  const fsState = tx.filesystems[v.fs];
  if (fsState !== undefined) tx.filesystems[v.fs] = { ...fsState, volumes: [...fsState.volumes, snap] };
  tx.events.push({ kind: 'snapshot', volume: name, snapshot: snap, blocksShared: eager ? 0 : blocks, blocksCopied: eager ? blocks : 0 });
  if (eager) return `mode eager: ${snap} is a copy of ${name} with every block copied — ${plural(blocks, 'block')}, ${explainBytes(blocks)}.`;
  return `${snap} is a writable snapshot of ${name} on the same file system (BTRFS_IOC_SNAP_CREATE_V2 → create_snapshot; the commit copies only the tree root, btrfs_copy_root): ${v.files.size === 1 ? 'its file shares' : `its ${plural(v.files.size, 'file')} share`} all ${plural(blocks, 'block')}, nothing copied.`;
}

function container(tx: StorageTx, name: string, lower: string, upper: string): string {
  freeName(tx, name);
  if (tx.containers.has(lower)) refuse('not-supported', `${lower} is a container; a container's lower layer is a volume here`);
  if (tx.containers.has(upper)) refuse('not-supported', `${upper} is a container; the upper directory lives on a volume`);
  const l = volume(tx, lower);
  const u = volume(tx, upper);
  tx.containers.set(name, { name, lower, upper, files: new Map(), whiteouts: new Set() });
  tx.events.push({ kind: 'container-created', container: name, lower, upper });
  const how = copyUpHow(tx, l, u);
  const why = how === 'clone' ? `a first write clones a lower file up (same ${tx.fsType(u.fs)} file system)` : `a first write copies a lower file up whole (${whyCopy(tx, u)})`;
  return `${name} is an overlay mount (ovl_fill_super): lower = ${lower}, read-only; upper = an empty directory on ${upper}; nothing is copied until ${why}.`;
}

function copyUpHow(tx: StorageTx, lower: VolumeState, upper: VolumeState): 'clone' | 'copy' {
  if (tx.base.policy === 'eager') return 'copy';
  return lower.fs === upper.fs && tx.fsType(upper.fs) !== 'ext4' ? 'clone' : 'copy';
}

function whyCopy(tx: StorageTx, upper: VolumeState): string {
  if (tx.base.policy === 'eager') return 'mode eager';
  if (tx.fsType(upper.fs) === 'ext4') return 'ext4 cannot clone';
  return 'lower and upper are different file systems';
}

function inContainer(tx: StorageTx, c: ContainerState, op: Exclude<StorageOperation, { op: 'volume' | 'snapshot' | 'container' }>): string {
  const lower = volume(tx, c.lower);
  const upper = volume(tx, c.upper);
  const files = new Map(c.files);
  const whiteouts = new Set(c.whiteouts);
  const at = (file: string) => ({ volume: c.name, file });
  const merged = (file: string): { file: FileState; layer: 'lower' | 'upper' } | undefined => {
    const up = files.get(file);
    if (up !== undefined) return { file: up, layer: 'upper' };
    const low = whiteouts.has(file) ? undefined : lower.files.get(file);
    return low === undefined ? undefined : { file: low, layer: 'lower' };
  };
  const need = (file: string) => merged(file) ?? refuse('unknown-file', `${c.name} has no file '${file}'${whiteouts.has(file) ? ' (it was deleted in the container: a whiteout hides the lower one)' : ''}`);
  const save = () => tx.containers.set(c.name, { ...c, files, whiteouts });
  switch (op.op) {
    case 'create': {
      if (merged(op.file) !== undefined) refuse('duplicate-name', `${c.name} already has a file '${op.file}'`);
      checkSize(op.blocks);
      files.set(op.file, createFile(tx, upper.fs, op.file, op.blocks, op.value, at(op.file)));
      whiteouts.delete(op.file);
      save();
      return `${c.name} created ${op.file} in its upper directory on ${upper.name}: ${plural(op.blocks, 'block')} written (${ALLOCATE[tx.fsType(upper.fs)]}).`;
    }
    case 'read': {
      const { file, layer } = need(op.file);
      checkRange(file, c.name, op.first, op.last);
      return explainRead(tx, c.name, file, op.first, op.last, layer);
    }
    case 'write': {
      const found = need(op.file);
      checkRange(found.file, c.name, op.first, op.last);
      let file = found.file;
      let prefix = '';
      if (found.layer === 'lower') {
        const how = copyUpHow(tx, lower, upper);
        file = how === 'clone' ? tx.shareFile(file, file.name) : tx.copyFile(file, file.name, upper.fs);
        file = { ...file, copiedUp: true };
        tx.events.push({ kind: 'copied-up', at: at(op.file), how, blocks: file.size });
        prefix =
          how === 'clone'
            ? `ovl_copy_up cloned ${op.file} into the upper directory on ${upper.name} (ovl_copy_up_file → vfs_clone_file_range: ${plural(file.size, 'block')} shared, nothing copied), then `
            : `ovl_copy_up first copied all of ${op.file} into the upper directory on ${upper.name} — ${plural(file.size, 'block')}, ${explainBytes(file.size)} (ovl_copy_up_file: ${whyCopy(tx, upper)}) — then `;
      }
      const result = writeBlocks(tx, upper.fs, file, op.first, op.last, op.value, at(op.file));
      files.set(op.file, result.file);
      save();
      const rest = explainWrite(c.name, tx.fsType(upper.fs), op.file, op.first, op.last, result);
      return prefix === '' ? rest : `${prefix}${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
    }
    case 'copy': {
      const { file } = need(op.file);
      if (merged(op.target) !== undefined) refuse('duplicate-name', `${c.name} already has a file '${op.target}'`);
      files.set(op.target, tx.copyFile(file, op.target, upper.fs));
      whiteouts.delete(op.target);
      save();
      tx.events.push({ kind: 'blocks-copied', from: at(op.file), to: at(op.target), blocks: file.size });
      return `An ordinary copy inside ${c.name}: ${op.target} is a new file in the upper directory on ${upper.name} — ${plural(file.size, 'block')}, ${explainBytes(file.size)} copied.`;
    }
    case 'delete': {
      const found = need(op.file);
      const before = tx.freed;
      if (found.layer === 'upper') {
        files.delete(op.file);
        tx.dropFile(found.file);
      }
      const whiteout = lower.files.has(op.file);
      if (whiteout) whiteouts.add(op.file);
      save();
      tx.events.push({ kind: 'file-deleted', at: at(op.file), whiteout });
      const freed = tx.freed - before;
      const freedText = freed > 0 ? `; ${plural(freed, 'block')} freed` : '';
      return whiteout
        ? `${c.name} deleted ${op.file}: the lower file stays untouched and a whiteout in the upper directory hides it (ovl_whiteout)${freedText}.`
        : `${c.name} deleted ${op.file} from its upper directory${freedText}.`;
    }
    case 'reflink':
      return refuse('not-supported', `reflink inside a container is not modelled: reflink files on a volume instead`);
  }
}
