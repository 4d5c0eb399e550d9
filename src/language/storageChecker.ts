// The checker's half for storage statements: a model of volumes, containers and file sizes —
// never blocks — enough to report before anything runs what the storage model would refuse:
// an unknown volume or file, a block out of range, a snapshot outside btrfs, a reflink on ext4,
// a change to a volume that is a container's read-only lower layer, a name used twice.
import type { ContainerStatement, ExpectStatement, Name, PageSelector, ReadAction, StorageAction, VolumeStatement, WriteAction } from './ast';
import type { Diagnostic, DiagnosticCode, Range } from './source';
import { didYouMean } from './suggest';
import type { ScenarioSymbol, SymbolRecorder } from './symbols';
import type { FsTypeWord } from './vocabulary';

interface FileModel {
  readonly blocks: number;
  readonly symbol: ScenarioSymbol | undefined;
}

interface VolumeModel {
  readonly kind: 'volume';
  readonly name: string;
  readonly fsType: FsTypeWord;
  readonly fs: number;
  readonly files: Map<string, FileModel>;
  /** Containers using it as their lower layer, with the line that made each. */
  readonly lowerOf: { name: string; line: number }[];
  readonly symbol: ScenarioSymbol | undefined;
}

interface ContainerModel {
  readonly kind: 'container';
  readonly name: string;
  readonly lower: VolumeModel;
  readonly upper: VolumeModel;
  readonly upperFiles: Map<string, FileModel>;
  readonly whiteouts: Set<string>;
  readonly symbol: ScenarioSymbol | undefined;
}

type Space = VolumeModel | ContainerModel;

type Report = (range: Range, message: string, code: DiagnosticCode, severity?: Diagnostic['severity'], suggestion?: string) => void;

export class StorageChecker {
  private readonly spaces = new Map<string, Space>();
  /** Names reported unknown once: later uses stay quiet. */
  private readonly quiet = new Set<string>();
  private nextFs = 1;

  constructor(
    private readonly symbols: SymbolRecorder,
    private readonly report: Report,
    /** Whether a name is taken by a process (one namespace for processes, volumes and containers). */
    private readonly isProcess: (name: string) => boolean,
    /** The name appears on an earlier line that did not parse: stay quiet about it. */
    private readonly quietAbout: (name: Name) => boolean,
  ) {}

  /** Whether `name` is a volume or a container (so `name: write …` is a storage write). */
  has(name: string): boolean {
    return this.spaces.has(name) || this.quiet.has(name);
  }

  /** Known volume and container names, for "did you mean". */
  names(): string[] {
    return [...this.spaces.keys()];
  }

  /** No volume or container is known by this name: a process may take it. */
  free(name: string): boolean {
    return !this.spaces.has(name);
  }

  private taken(name: Name): boolean {
    const existing = this.spaces.get(name.text);
    if (existing !== undefined || this.isProcess(name.text)) {
      const what = existing === undefined ? 'a process' : `a ${existing.kind}`;
      const where = existing?.symbol ? ` (line ${existing.symbol.definition.line})` : '';
      this.report(name.range, `'${name.text}' is already ${what}${where}; processes, volumes and containers each need their own name`, 'duplicate-name');
      return true;
    }
    return false;
  }

  volume(s: VolumeStatement): void {
    if (this.taken(s.name)) return;
    const symbol = this.symbols.define({ kind: 'volume', name: s.name.text, definition: s.name.range, statement: s.range, fsType: s.fsType.text });
    this.spaces.set(s.name.text, { kind: 'volume', name: s.name.text, fsType: s.fsType.text, fs: this.nextFs++, files: new Map(), lowerOf: [], symbol });
  }

  container(s: ContainerStatement): void {
    const lower = this.resolveVolume(s.lower, 'the lower layer');
    const upper = this.resolveVolume(s.upper, 'the upper directory');
    if (this.taken(s.name) || lower === undefined || upper === undefined) {
      this.quiet.add(s.name.text);
      return;
    }
    const symbol = this.symbols.define({ kind: 'container', name: s.name.text, definition: s.name.range, statement: s.range, lower: lower.name, upper: upper.name });
    lower.lowerOf.push({ name: s.name.text, line: s.range.line });
    this.spaces.set(s.name.text, { kind: 'container', name: s.name.text, lower, upper, upperFiles: new Map(), whiteouts: new Set(), symbol });
  }

  private resolveVolume(name: Name, role: string): VolumeModel | undefined {
    const space = this.resolve(name);
    if (space === undefined) return undefined;
    if (space.kind === 'container') {
      this.report(name.range, `'${name.text}' is a container; ${role} of a container is a volume`, 'wrong-kind');
      return undefined;
    }
    return space;
  }

  /** The volume or container a statement names, or undefined after reporting. */
  private resolve(name: Name): Space | undefined {
    const space = this.spaces.get(name.text);
    if (space !== undefined) {
      if (space.symbol) this.symbols.reference(space.symbol, name.range);
      return space;
    }
    if (this.quiet.has(name.text) || this.quietAbout(name)) return undefined;
    this.quiet.add(name.text);
    if (this.isProcess(name.text)) {
      this.report(name.range, `'${name.text}' is a process, not a volume or container`, 'wrong-kind');
      return undefined;
    }
    const { hint, suggestion } = didYouMean(name.text, [...this.spaces.keys()]);
    this.report(name.range, `unknown volume or container '${name.text}'${hint || ` — create it first with 'volume ${name.text} btrfs'`}`, 'unknown-volume', 'error', suggestion);
    return undefined;
  }

  /** The files a volume holds, or a container's merged view. */
  private filesOf(space: Space): Map<string, FileModel> {
    if (space.kind === 'volume') return space.files;
    const merged = new Map<string, FileModel>();
    for (const [name, f] of space.lower.files) if (!space.whiteouts.has(name)) merged.set(name, f);
    for (const [name, f] of space.upperFiles) merged.set(name, f);
    return merged;
  }

  private file(space: Space, name: Name): FileModel | undefined {
    const f = this.filesOf(space).get(name.text);
    if (f !== undefined) {
      if (f.symbol) this.symbols.reference(f.symbol, name.range);
      return f;
    }
    if (this.quietAbout(name)) return undefined;
    const deleted = space.kind === 'container' && space.whiteouts.has(name.text) ? ' (deleted in the container: a whiteout hides the lower file)' : '';
    const { hint, suggestion } = didYouMean(name.text, [...this.filesOf(space).keys()]);
    this.report(name.range, `${space.name} has no file '${name.text}'${deleted}${hint}`, 'unknown-file', 'error', suggestion);
    return undefined;
  }

  private blocksInRange(file: FileModel, fileName: string, selector: PageSelector): boolean {
    if (selector.pages === undefined || selector.pages.last < file.blocks) return true;
    const { first, last, range } = selector.pages;
    const block = first >= file.blocks ? first : last;
    this.report(range, `block ${block} is outside '${fileName}', which has ${file.blocks} block${file.blocks === 1 ? '' : 's'} (0..${file.blocks - 1})`, 'block-out-of-range');
    return false;
  }

  /** A change to a volume that a container uses as its lower layer is refused. */
  private writable(space: Space, at: Range): boolean {
    if (space.kind === 'container' || space.lowerOf.length === 0) return true;
    const user = space.lowerOf[0] as { name: string; line: number };
    this.report(
      at,
      `'${space.name}' is the read-only lower layer of container '${user.name}' (line ${user.line}): overlayfs forbids changing a lower layer while it is mounted — write through the container ('${user.name}: write …'), where the file is copied up first`,
      'read-only',
    );
    return false;
  }

  private newFile(space: Space, name: Name, blocks: number, statement: Range): void {
    if (this.filesOf(space).has(name.text)) {
      this.report(name.range, `${space.name} already has a file '${name.text}'; delete it first or choose another name`, 'duplicate-name');
      return;
    }
    const symbol = this.symbols.define({ kind: 'file', name: name.text, definition: name.range, statement, owner: space.name, blocks });
    if (space.kind === 'volume') space.files.set(name.text, { blocks, symbol });
    else {
      space.upperFiles.set(name.text, { blocks, symbol });
      space.whiteouts.delete(name.text);
    }
  }

  /** `read` or `write` whose actor is a volume or container. */
  access(s: ReadAction | WriteAction): void {
    const space = this.resolve(s.process);
    if (space === undefined) return;
    if (s.kind === 'write' && !this.writable(space, s.process.range)) return;
    const file = this.file(space, s.target.region);
    if (file !== undefined) this.blocksInRange(file, s.target.region.text, s.target);
  }

  action(s: StorageAction, maxFileBlocks: number): void {
    const space = this.resolve(s.process);
    if (space === undefined) {
      if (s.kind === 'snapshot') this.quiet.add(s.snapshot.text);
      return;
    }
    const fsType = space.kind === 'volume' ? space.fsType : space.upper.fsType;
    switch (s.kind) {
      case 'create':
        if (!this.writable(space, s.process.range)) return;
        if (s.blocks > maxFileBlocks) {
          this.report(s.size, `a file of ${s.blocks} blocks is too large: the limit is ${maxFileBlocks} blocks (4 GiB)`, 'too-large');
          return;
        }
        this.newFile(space, s.file, s.blocks, s.range);
        return;
      case 'reflink':
      case 'copy': {
        if (s.kind === 'reflink' && space.kind === 'container') {
          this.report(s.verb, `reflink inside a container is not modelled; reflink on a volume, or 'copy' in the container`, 'not-supported');
          return;
        }
        if (s.kind === 'reflink' && fsType === 'ext4') {
          this.report(s.verb, `'${space.name}' is ext4, which cannot share blocks: FICLONE fails with EOPNOTSUPP — use 'copy', or a btrfs or xfs volume`, 'not-supported');
          return;
        }
        if (!this.writable(space, s.process.range)) return;
        const file = this.file(space, s.file);
        if (file !== undefined) this.newFile(space, s.target, file.blocks, s.range);
        return;
      }
      case 'delete': {
        if (!this.writable(space, s.process.range)) return;
        if (this.file(space, s.file) === undefined) return;
        if (space.kind === 'volume') space.files.delete(s.file.text);
        else {
          space.upperFiles.delete(s.file.text);
          if (space.lower.files.has(s.file.text)) space.whiteouts.add(s.file.text);
        }
        return;
      }
      case 'snapshot': {
        if (space.kind === 'container') {
          this.report(s.verb, `'${space.name}' is a container; only a btrfs volume (a subvolume) can be snapshotted`, 'not-supported');
          this.quiet.add(s.snapshot.text);
          return;
        }
        if (space.fsType !== 'btrfs') {
          this.report(s.verb, `'${space.name}' is ${space.fsType}: only btrfs has snapshots (of a subvolume); reflink each file on xfs instead`, 'not-supported');
          this.quiet.add(s.snapshot.text);
          return;
        }
        if (this.taken(s.snapshot)) return;
        const symbol = this.symbols.define({ kind: 'volume', name: s.snapshot.text, definition: s.snapshot.range, statement: s.range, fsType: 'btrfs', snapshotOf: space.name });
        this.spaces.set(s.snapshot.text, { kind: 'volume', name: s.snapshot.text, fsType: 'btrfs', fs: space.fs, files: new Map(space.files), lowerOf: [], symbol });
        return;
      }
    }
  }

  /** An `expect` whose subject is a volume or container. */
  expect(s: ExpectStatement): void {
    const claim = s.claim;
    if (claim.kind === 'counter' || claim.kind === 'status' || claim.kind === 'pipe-value' || claim.kind === 'memory') return;
    const space = this.resolve(claim.target.process);
    if (space === undefined) return;
    const file = this.file(space, claim.target.selector.region);
    if (file === undefined || !this.blocksInRange(file, claim.target.selector.region.text, claim.target.selector)) return;
    switch (claim.kind) {
      case 'property':
        this.report(claim.property.range, `'${claim.property.text}' is a claim about memory pages; for a file's blocks write 'exclusive', 'shared with VOLUME FILE[i]', 'copied-up' or 'block == N'`, 'wrong-kind');
        return;
      case 'frame':
        this.report(claim.target.selector.range, `files have blocks, not frames: write '${claim.target.process.text} ${claim.target.selector.region.text}[i] block == N'`, 'wrong-kind');
        return;
      case 'block-property':
        if (claim.property.text === 'copied-up' && space.kind !== 'container') {
          this.report(claim.property.range, `'${space.name}' is a volume; only a container copies files up`, 'wrong-kind');
        }
        return;
      case 'shared-with': {
        if (claim.otherSelector === undefined) {
          this.report(claim.other.range, `name the other file and its blocks: 'shared with ${claim.other.text} ${claim.target.selector.region.text}${selectorText(claim.target.selector)}'`, 'syntax');
          return;
        }
        const other = this.resolve(claim.other);
        const otherFile = other && this.file(other, claim.otherSelector.region);
        if (otherFile === undefined || !this.blocksInRange(otherFile, claim.otherSelector.region.text, claim.otherSelector)) return;
        const count = (sel: PageSelector, f: FileModel) => (sel.pages === undefined ? f.blocks : sel.pages.last - sel.pages.first + 1);
        if (count(claim.target.selector, file) !== count(claim.otherSelector, otherFile)) {
          this.report(claim.otherSelector.range, `the two sides select different numbers of blocks (${count(claim.target.selector, file)} and ${count(claim.otherSelector, otherFile)})`, 'block-out-of-range');
        }
        return;
      }
      default:
        return;
    }
  }
}

function selectorText(selector: PageSelector): string {
  if (selector.pages === undefined) return '';
  return selector.pages.first === selector.pages.last ? `[${selector.pages.first}]` : `[${selector.pages.first}..${selector.pages.last}]`;
}
