// Real file systems for the storage check: one sparse image per `volume` (a btrfs snapshot is a
// subvolume of its origin's file system), loop-mounted under one private temporary directory;
// overlay mounts for containers; writes of whole 4 KiB blocks with fsync; FICLONE through
// `cp --reflink=always`; `btrfs subvolume snapshot`; FIEMAP through `filefrag -v`.
// Everything stays inside the temporary directory, and dispose() unmounts (overlays first)
// and detaches every loop device even after a failure.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FsType } from '../../storage';

export const BLOCK = 4096;
const COMMAND_TIMEOUT_MS = 60_000;

export interface RealFs {
  readonly id: number;
  readonly type: FsType;
  readonly image: string;
  readonly mount: string;
}

export interface RealBlock {
  readonly fs: number;
  readonly physical: number;
  readonly shared: boolean;
}

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class RealStorage {
  readonly root: string;
  private readonly filesystems: RealFs[] = [];
  /** Volume name → its file system and directory. */
  private readonly volumes = new Map<string, { fs: RealFs; dir: string }>();
  /** Container name → its directories. */
  private readonly containers = new Map<string, { lower: string; upperFs: RealFs; upper: string; merged: string }>();
  private readonly mounts: string[] = [];

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'cow-lab-storage-'));
  }

  volume(name: string, type: FsType): void {
    const id = this.filesystems.length + 1;
    const image = join(this.root, `fs${id}.img`);
    const mount = join(this.root, `fs${id}`);
    closeSync(openSync(image, 'w'));
    run('truncate', ['-s', '1G', image]);
    if (type === 'btrfs') run('mkfs.btrfs', ['-q', '-f', image]);
    else if (type === 'xfs') run('mkfs.xfs', ['-q', '-f', image]);
    else run('mkfs.ext4', ['-q', '-F', '-b', '4096', image]);
    mkdirSync(mount);
    run('mount', ['-o', 'loop', image, mount]);
    this.mounts.push(mount);
    const fs: RealFs = { id, type, image, mount };
    this.filesystems.push(fs);
    const dir = join(mount, name);
    if (type === 'btrfs') run('btrfs', ['-q', 'subvolume', 'create', dir]);
    else mkdirSync(dir);
    this.volumes.set(name, { fs, dir });
  }

  snapshot(volume: string, snapshot: string): void {
    const v = this.need(volume);
    const dir = join(v.fs.mount, snapshot);
    run('btrfs', ['-q', 'subvolume', 'snapshot', v.dir, dir]);
    this.volumes.set(snapshot, { fs: v.fs, dir });
  }

  container(name: string, lower: string, upper: string): void {
    const l = this.need(lower);
    const u = this.need(upper);
    const base = join(u.fs.mount, `.overlay-${name}`);
    const upperDir = join(base, 'upper');
    const work = join(base, 'work');
    mkdirSync(upperDir, { recursive: true });
    mkdirSync(work, { recursive: true });
    const merged = join(this.root, `merged-${name}`);
    mkdirSync(merged);
    run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${l.dir},upperdir=${upperDir},workdir=${work}`, merged]);
    this.mounts.push(merged);
    this.containers.set(name, { lower: l.dir, upperFs: u.fs, upper: upperDir, merged });
  }

  /** The path a statement on `space` uses for `file` (a container's merged view). */
  path(space: string, file: string): string {
    const c = this.containers.get(space);
    if (c !== undefined) return join(c.merged, file);
    return join(this.need(space).dir, file);
  }

  /** Where a file's data really is, and on which file system; for a container, upper if it is there. */
  location(space: string, file: string): { path: string; fs: number; layer?: 'lower' | 'upper' } {
    const c = this.containers.get(space);
    if (c === undefined) {
      const v = this.need(space);
      return { path: join(v.dir, file), fs: v.fs.id };
    }
    const up = join(c.upper, file);
    if (exists(up)) return { path: up, fs: c.upperFs.id, layer: 'upper' };
    const lowerFs = [...this.volumes.values()].find((v) => v.dir === c.lower)?.fs.id ?? 0;
    return { path: join(c.lower, file), fs: lowerFs, layer: 'lower' };
  }

  /** Writes blocks first..last (whole 4 KiB blocks: the value, a NUL, then a filler), then fsync. */
  write(path: string, first: number, last: number, value: string, tag: string, create: boolean): void {
    const fd = openSync(path, create ? 'w' : 'r+');
    try {
      for (let i = first; i <= last; i++) writeSync(fd, blockBytes(value, `${tag}:${i}`), 0, BLOCK, i * BLOCK);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The value a block holds: its bytes up to the first NUL. */
  read(path: string, index: number): string {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(BLOCK);
      readSync(fd, buffer, 0, BLOCK, index * BLOCK);
      const end = buffer.indexOf(0);
      return buffer.subarray(0, end < 0 ? BLOCK : end).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  copy(from: string, to: string, blocks: number, tag: string): void {
    const src = openSync(from, 'r');
    const dst = openSync(to, 'w');
    try {
      const buffer = Buffer.alloc(BLOCK);
      for (let i = 0; i < blocks; i++) {
        readSync(src, buffer, 0, BLOCK, i * BLOCK);
        void tag;
        writeSync(dst, buffer, 0, BLOCK, i * BLOCK);
      }
      fsyncSync(dst);
    } finally {
      closeSync(src);
      closeSync(dst);
    }
  }

  reflink(from: string, to: string): void {
    run('cp', ['--reflink=always', from, to]);
    const fd = openSync(to, 'r');
    fsyncSync(fd);
    closeSync(fd);
  }

  remove(path: string): void {
    unlinkSync(path);
  }

  /** FIEMAP of a file (filefrag -v): the physical block and shared flag of every logical block. */
  fiemap(path: string, fs: number): Map<number, RealBlock> {
    const out = run('filefrag', ['-v', '-b4096', path]);
    const blocks = new Map<number, RealBlock>();
    for (const line of out.split('\n')) {
      const m = /^\s*\d+:\s+(\d+)\.\.\s*(\d+):\s+(\d+)\.\.\s*(\d+):\s+\d+:.*?([\w,]*)\s*$/.exec(line);
      if (m === null) continue;
      const logical = Number(m[1]);
      const end = Number(m[2]);
      const physical = Number(m[3]);
      const shared = /(^|,)shared(,|$)/.test(m[5] ?? '');
      for (let i = 0; logical + i <= end; i++) blocks.set(logical + i, { fs, physical: physical + i, shared });
    }
    return blocks;
  }

  /** Unmounts everything (overlays first, in reverse order), detaches loops, removes the directory. */
  dispose(): string[] {
    const problems: string[] = [];
    for (const mount of [...this.mounts].reverse()) {
      try {
        run('umount', [mount]);
      } catch (e) {
        try {
          run('umount', ['-l', mount]);
        } catch {
          problems.push(`could not unmount ${mount}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    for (const fs of this.filesystems) {
      try {
        const attached = run('losetup', ['-j', fs.image]);
        for (const line of attached.split('\n')) {
          const device = /^(\/dev\/loop\d+):/.exec(line)?.[1];
          if (device !== undefined) run('losetup', ['-d', device]);
        }
      } catch (e) {
        problems.push(`could not detach the loop device of ${fs.image}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (problems.length === 0) rmSync(this.root, { recursive: true, force: true });
    return problems;
  }

  private need(volume: string): { fs: RealFs; dir: string } {
    const v = this.volumes.get(volume);
    if (v === undefined) throw new Error(`no real volume '${volume}'`);
    return v;
  }
}

function exists(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile();
  } catch {
    return false;
  }
}

function blockBytes(value: string, tag: string): Buffer {
  const buffer = Buffer.alloc(BLOCK, 0);
  const head = Buffer.from(value, 'utf8');
  head.copy(buffer, 0, 0, Math.min(head.length, BLOCK - 1));
  // After the NUL, a filler unique to this write: no two written blocks are alike.
  const filler = Buffer.from(`|${tag}`.repeat(Math.ceil(BLOCK / (tag.length + 1))), 'utf8');
  const at = Math.min(head.length + 1, BLOCK);
  filler.copy(buffer, at, 0, BLOCK - at);
  return buffer;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}
