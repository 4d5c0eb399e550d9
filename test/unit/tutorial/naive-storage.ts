// A naive model of the file-system rules the storage exercises teach, written for the tests from
// the kernel's behaviour (docs/storage.md), not from src/storage: a block is a number with a
// value; a file is a list of block numbers; sharing is two lists naming the same number.
//   btrfs: every write goes to a new extent; an extent is freed only when none of its blocks is
//          referenced; snapshot and reflink share every block.
//   xfs:   reflink shares every block; a write to a shared block gets a new block, an unshared
//          one is written in place; a block is freed when nothing references it.
//   ext4:  nothing is shared: copy writes new blocks, a write is in place.
//   overlay: a container's first write to a lower file copies it up to the upper volume — a
//          clone when lower and upper are one btrfs/xfs volume, a full copy otherwise.
// It understands exactly the statements generateStorage.ts writes.

interface Block {
  value: string;
  extent: number;
}

interface Volume {
  readonly fs: string;
  readonly files: Map<string, number[]>;
}

interface Container {
  readonly lower: string;
  readonly upper: string;
  /** Files copied up, by name: kept in the upper volume under `c:<container>/<name>`. */
  readonly up: Set<string>;
}

export class NaiveStorage {
  private readonly blocks = new Map<number, Block>();
  private readonly volumes = new Map<string, Volume>();
  private readonly containers = new Map<string, Container>();
  private nextBlock = 1;
  private nextExtent = 1;
  blocksCopied = 0;

  /** Runs one generated statement (comments, `expect` and blank lines are ignored). */
  apply(line: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^volume (\w+) (\w+)$/.exec(line))) this.volumes.set(m[1] as string, { fs: m[2] as string, files: new Map() });
    else if ((m = /^container (\w+) (\w+) (\w+)$/.exec(line))) this.containers.set(m[1] as string, { lower: m[2] as string, upper: m[3] as string, up: new Set() });
    else if ((m = /^(\w+): create ([\w.]+) (\d+) "(.*)"$/.exec(line))) {
      const v = this.volume(m[1]);
      v.files.set(m[2] as string, this.allocate(v.fs, Number(m[3]), m[4] as string));
    }
    else if ((m = /^(\w+): snapshot (\w+)$/.exec(line))) {
      const from = this.volume(m[1]);
      this.volumes.set(m[2] as string, { fs: from.fs, files: new Map([...from.files].map(([f, b]) => [f, [...b]])) });
    } else if ((m = /^(\w+): reflink ([\w.]+) ([\w.]+)$/.exec(line))) {
      const v = this.volume(m[1]);
      v.files.set(m[3] as string, [...this.file(v, m[2])]);
    } else if ((m = /^(\w+): copy ([\w.]+) ([\w.]+)$/.exec(line))) {
      const v = this.volume(m[1]);
      v.files.set(m[3] as string, this.copyOf(v.fs, this.file(v, m[2])));
    } else if ((m = /^(\w+): delete ([\w.]+)$/.exec(line))) {
      this.volume(m[1]).files.delete(m[2] as string);
      this.collect();
    }
    else if ((m = /^(\w+): write ([\w.]+)\[(\d+)(?:\.\.(\d+))?\] "(.*)"$/.exec(line))) {
      const first = Number(m[3]);
      const last = m[4] === undefined ? first : Number(m[4]);
      const [volume, name] = this.writable(m[1] as string, m[2] as string);
      this.write(volume, name, first, last, m[5] as string);
    } else if (line.trim() !== '' && !line.startsWith('#') && !line.startsWith('expect ')) throw new Error(`naive storage: unknown statement ${line}`);
  }

  /** `blocks`: every block allocated on every volume (btrfs: every block of a live extent). */
  allocated(): number {
    const referenced = new Set<number>();
    for (const v of this.volumes.values()) for (const list of v.files.values()) for (const b of list) referenced.add(b);
    const liveExtents = new Set([...referenced].map((b) => this.blocks.get(b)?.extent));
    return [...this.blocks.values()].filter((b) => liveExtents.has(b.extent)).length;
  }

  /** What block `index` of `file` reads in a volume or a container. */
  read(space: string, file: string, index: number): string {
    const [volume, name] = this.resolve(space, file);
    const block = this.file(this.volume(volume), name)[index];
    return this.blocks.get(block ?? -1)?.value ?? '(no block)';
  }

  private resolve(space: string, file: string): [string, string] {
    const c = this.containers.get(space);
    if (c === undefined) return [space, file];
    return c.up.has(file) ? [c.upper, `c:${space}/${file}`] : [c.lower, file];
  }

  /** Where a write lands: a container copies the file up first. */
  private writable(space: string, file: string): [string, string] {
    const c = this.containers.get(space);
    if (c === undefined || c.up.has(file)) return this.resolve(space, file);
    const source = this.file(this.volume(c.lower), file);
    const upper = this.volume(c.upper);
    const clone = c.lower === c.upper && upper.fs !== 'ext4';
    upper.files.set(`c:${space}/${file}`, clone ? [...source] : this.copyOf(upper.fs, source));
    c.up.add(file);
    return this.resolve(space, file);
  }

  private write(volumeName: string, file: string, first: number, last: number, value: string): void {
    const volume = this.volume(volumeName);
    const list = this.file(volume, file);
    const extent = this.nextExtent++;
    for (let i = first; i <= last; i += 1) {
      const old = list[i] as number;
      const shared = this.references(old) > 1;
      if (volume.fs === 'btrfs' || (volume.fs === 'xfs' && shared)) {
        const fresh = this.nextBlock++;
        this.blocks.set(fresh, { value, extent: volume.fs === 'btrfs' ? extent : this.nextExtent++ });
        list[i] = fresh;
      } else (this.blocks.get(old) as Block).value = value;
    }
    this.collect();
  }

  private references(block: number): number {
    let n = 0;
    for (const v of this.volumes.values()) for (const list of v.files.values()) n += list.filter((b) => b === block).length;
    return n;
  }

  /** Frees what nothing references: whole extents on btrfs, single blocks elsewhere. */
  private collect(): void {
    const referenced = new Set<number>();
    for (const v of this.volumes.values()) for (const list of v.files.values()) for (const b of list) referenced.add(b);
    const liveExtents = new Set([...referenced].map((b) => this.blocks.get(b)?.extent));
    for (const [id, b] of this.blocks) if (!liveExtents.has(b.extent)) this.blocks.delete(id);
  }

  /** `n` new blocks: one extent on btrfs; elsewhere each block is freed on its own. */
  private allocate(fs: string, n: number, value: string, values?: readonly string[]): number[] {
    const extent = this.nextExtent++;
    return Array.from({ length: n }, (_, i) => {
      const id = this.nextBlock++;
      this.blocks.set(id, { value: values?.[i] ?? value, extent: fs === 'btrfs' ? extent : this.nextExtent++ });
      return id;
    });
  }

  private copyOf(fs: string, source: readonly number[]): number[] {
    this.blocksCopied += source.length;
    return this.allocate(fs, source.length, '', source.map((b) => this.blocks.get(b)?.value ?? ''));
  }

  private volume(name: string | undefined): Volume {
    const v = this.volumes.get(name ?? '');
    if (v === undefined) throw new Error(`naive storage: no volume ${name ?? ''}`);
    return v;
  }

  private file(v: Volume, name: string | undefined): number[] {
    const list = v.files.get(name ?? '');
    if (list === undefined) throw new Error(`naive storage: no file ${name ?? ''}`);
    return list;
  }
}
