// The checker: reads a parsed scenario in order, keeping a model of processes and address
// spaces (world.ts), and reports before anything runs every statement the engine would refuse —
// unknown process or region, use after exit, page out of range, a name used twice, actions of a
// suspended vfork parent, MADV_DONTFORK holes, sizes beyond the documented limits. Each mistake
// is reported once: after an unknown name is reported, later uses of it are accepted silently.
import { HUGE_PAGES, kernelAtLeast, PIPE_PAGES, type EngineError, type KernelVersion, type LifeModel } from '../engine';
import type { Action, ExpectStatement, Name, PageSelector, Program, Statement } from './ast';
import { isAction, isStorageAction } from './ast';
import { StorageChecker } from './storageChecker';
import { checkMemory } from './memoryChecker';
import { MAX_FILE_BLOCKS } from '../storage/types';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { describeBytes } from './sizes';
import type { Diagnostic, DiagnosticCode, Range } from './source';
import { didYouMean } from './suggest';
import { SymbolRecorder, type SymbolTable } from './symbols';
import { PageSet, World, type AddressSpace, type ProcessModel, type RegionModel } from './world';

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
  readonly policy: 'cow' | 'eager';
}

/** Name of the checkpoint the run always adds after the last statement. */
export const END_CHECKPOINT = 'end';

/** Checks a scenario; `observe` sees the checker's lifecycle model after each statement (which processes and regions it believes exist). */
export function check(program: Program, limits: Limits = DEFAULT_LIMITS, observe?: (statement: Statement, life: LifeModel<RegionModel>) => void): CheckResult {
  const checker = new Checker(program, limits);
  for (const statement of program.statements) {
    checker.statement(statement);
    observe?.(statement, checker.life);
  }
  return { diagnostics: [...checkMemory(program), ...checker.diagnostics], symbols: checker.symbols.table(), policy: program.mode?.policy.text ?? 'cow' };
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly symbols = new SymbolRecorder();
  private readonly world = new World();
  readonly life = this.world.life;
  private readonly checkpoints = new Map<string, number>();
  /** First line that creates each process name, for "created later on line N". */
  private readonly definedOn = new Map<string, number>();
  /** Words on lines the parser could not read, with the first such line: maybe names made there. */
  private readonly maybeDefinedOn = new Map<string, number>();
  private readonly storage: StorageChecker = new StorageChecker(
    this.symbols,
    (range, message, code, severity, suggestion) => this.report(range, message, code, severity, suggestion),
    (name) => this.world.processes.get(name)?.phantom === false,
    (name) => this.quietAbout(name),
  );
  /** Pipes by name: how many pages each holds now (known exactly: vmsplice adds, drain empties). */
  private readonly pipes = new Map<string, number>();
  /** Pinned pages per process and region: `process\0region` → pages. */
  private readonly pinned = new Map<string, PageSet>();
  private readonly kernel: KernelVersion | undefined;

  constructor(
    program: Program,
    private readonly limits: Limits,
  ) {
    for (const s of program.statements) {
      const name = s.kind === 'process' ? s.name.text : s.kind === 'fork' || s.kind === 'vfork' ? s.child.text : undefined;
      if (name !== undefined && !this.definedOn.has(name)) this.definedOn.set(name, s.range.line);
    }
    this.kernel = program.kernel?.version;
    for (const skipped of program.skippedLines) {
      for (const word of skipped.words) if (!this.maybeDefinedOn.has(word)) this.maybeDefinedOn.set(word, skipped.line);
    }
  }

  statement(s: Statement): void {
    if (s.kind === 'volume') this.storage.volume(s);
    else if (s.kind === 'container') this.storage.container(s);
    else if (isStorageAction(s)) this.storage.action(s, MAX_FILE_BLOCKS);
    else if ((s.kind === 'read' || s.kind === 'write') && this.storage.has(s.process.text)) this.storage.access(s);
    else if (s.kind === 'expect' && s.claim.kind !== 'counter' && s.claim.kind !== 'status' && s.claim.kind !== 'pipe-value' && s.claim.kind !== 'memory' && this.storage.has(s.claim.target.process.text)) this.storage.expect(s);
    else if (s.kind === 'process') this.createProcess(s.name, s.range, 'process');
    else if (s.kind === 'checkpoint') this.checkpoint(s.name, s.range);
    else if (s.kind === 'expect') this.expect(s);
    else if (isAction(s)) this.action(s);
  }

  private report(range: Range, message: string, code: DiagnosticCode, severity: Diagnostic['severity'] = 'error', suggestion?: string): void {
    this.diagnostics.push({ range, severity, message, source: 'checker', code, ...(suggestion !== undefined ? { suggestion } : {}) });
  }

  private createProcess(name: Name, statement: Range, how: 'process' | 'fork' | 'vfork', parent?: ProcessModel): void {
    const existing = this.world.processes.get(name.text);
    if (existing === undefined && !this.storage.free(name.text)) {
      this.report(name.range, `'${name.text}' is already a volume or container; processes, volumes and containers each need their own name`, 'duplicate-name');
      return;
    }
    if (existing !== undefined) {
      const where = existing.symbol ? ` on line ${existing.symbol.definition.line}` : '';
      this.report(name.range, `a process named '${name.text}' already exists (created${where}); every process needs its own name`, 'duplicate-name');
      return;
    }
    if (this.world.created >= this.limits.maxProcesses) {
      this.report(name.range, `too many processes: a scenario creates at most ${this.limits.maxProcesses}`, 'too-large');
      // Later uses of the name stay quiet: the cause is reported here once (and a "did you
      // mean" over thousands of names for each use would make the check quadratic).
      this.world.phantom(name.text);
      return;
    }
    const symbol = this.symbols.define({ kind: 'process', name: name.text, definition: name.range, statement, createdBy: how });
    const refused = parent === undefined ? this.world.spawn(name.text, symbol, statement.line) : this.world.fork(parent, name.text, symbol, statement.line, how === 'vfork');
    if (refused) this.engineRefuses(statement, refused);
  }

  private checkpoint(name: Name, statement: Range): void {
    if (name.text === END_CHECKPOINT) {
      this.report(name.range, `'${END_CHECKPOINT}' is the checkpoint every run adds after the last statement; choose another name`, 'duplicate-name');
      return;
    }
    const earlier = this.checkpoints.get(name.text);
    if (earlier !== undefined) {
      this.report(name.range, `checkpoint "${name.text}" is already recorded on line ${earlier}; give each checkpoint its own name`, 'duplicate-name');
      return;
    }
    this.checkpoints.set(name.text, statement.line);
    this.symbols.define({ kind: 'checkpoint', name: name.text, definition: name.range, statement });
  }

  /** The process a statement names, or undefined after reporting why it cannot be used. */
  private resolveProcess(name: Name, use: 'act' | 'look' | 'status'): ProcessModel | undefined {
    const model = this.world.processes.get(name.text);
    if (model === undefined) {
      if (this.quietAbout(name)) {
        this.world.phantom(name.text);
        return undefined;
      }
      const later = this.definedOn.get(name.text);
      if (later !== undefined && later > name.range.line) {
        this.report(name.range, `process '${name.text}' does not exist yet: it is created on line ${later}`, 'unknown-process');
        return undefined;
      }
      const { hint, suggestion } = didYouMean(name.text, [...[...this.world.processes.keys()].filter((n) => !this.world.processes.get(n)?.phantom), ...this.storage.names()]);
      this.report(name.range, `unknown process '${name.text}'${hint || ` — create it first with 'process ${name.text}'`}`, 'unknown-process', 'error', suggestion);
      this.world.phantom(name.text);
      return undefined;
    }
    if (model.phantom) return undefined;
    if (model.symbol) this.symbols.reference(model.symbol, name.range);
    if (model.state === 'exited' && use !== 'status') {
      const what = use === 'act' ? 'it can do nothing more' : `it has no pages to check — write 'expect ${name.text} exited'`;
      this.report(name.range, `'${name.text}' exited on line ${model.exitedAt ?? '?'}; ${what}`, 'use-after-exit');
      return undefined;
    }
    if (use === 'act' && model.state === 'suspended' && model.waitingFor !== undefined) {
      const { child, line } = model.waitingFor;
      this.report(name.range, `'${name.text}' is suspended by the vfork on line ${line} until '${child}' calls exec or exit (CLONE_VFORK)`, 'process-suspended');
      return undefined;
    }
    return model;
  }

  /** The region a statement names in the process's address space, or undefined after reporting. */
  private region(proc: ProcessModel, name: Name): RegionModel | undefined {
    const space = proc.space;
    const region = space.regions.get(name.text);
    if (region !== undefined) {
      if (region.symbol) this.symbols.reference(region.symbol, name.range);
      return region.phantom ? undefined : region;
    }
    if (!this.quietAbout(name)) this.report(name.range, this.unknownRegionMessage(proc, space, name.text), 'unknown-region', 'error', didYouMean(name.text, this.regionNames(space)).suggestion);
    space.regions.set(name.text, { name: name.text, pages: 0, kind: 'private', symbol: undefined, dontfork: PageSet.empty(), holes: PageSet.empty(), phantom: true });
    return undefined;
  }

  /** The name appears on an earlier line that did not parse: that line's diagnostic covers it. */
  private quietAbout(name: Name): boolean {
    const line = this.maybeDefinedOn.get(name.text);
    return line !== undefined && line < name.range.line;
  }

  private regionNames(space: AddressSpace): string[] {
    return [...space.regions.values()].filter((r) => !r.phantom).map((r) => r.name);
  }

  private unknownRegionMessage(proc: ProcessModel, space: AddressSpace, region: string): string {
    const who = proc.borrowsFrom !== undefined ? `'${proc.name}' (borrowing '${proc.borrowsFrom}'s address space)` : `'${proc.name}'`;
    const unmappedOn = space.unmapped.get(region);
    if (unmappedOn !== undefined) return `'${region}' was unmapped from ${who} on line ${unmappedOn}`;
    if (space.origin.how === 'exec') return `${who} has no region '${region}': its address space is empty since the exec on line ${space.origin.at}`;
    const { hint } = didYouMean(region, this.regionNames(space));
    if (hint !== '') return `unknown region '${region}'${hint}`;
    const holders = this.world.holdersOf(region, proc);
    const elsewhere = holders.length > 0 ? ` (${holders.slice(0, 3).map((h) => `'${h}'`).join(', ')} ${holders.length === 1 ? 'has' : 'have'} one; each process has its own address space)` : '';
    return `${who} has no region '${region}'${elsewhere || ` — map it first with '${proc.name}: map ${region} 8 private'`}`;
  }

  /** Checks the pages of a selector; returns [first, last] or undefined after reporting. */
  private pages(region: RegionModel, selector: PageSelector): { first: number; last: number } | undefined {
    if (selector.pages === undefined) return { first: 0, last: region.pages - 1 };
    const { first, last, range } = selector.pages;
    if (last >= region.pages) {
      const page = first >= region.pages ? first : last;
      this.report(range, `page ${page} is outside '${region.name}', which has ${region.pages} page${region.pages === 1 ? '' : 's'} (0..${region.pages - 1})`, 'page-out-of-range');
      return undefined;
    }
    return { first, last };
  }

  private noHoles(proc: ProcessModel, region: RegionModel, selector: PageSelector, pages: { first: number; last: number }, what: string): boolean {
    const hole = region.holes.firstIn(pages.first, pages.last);
    if (hole === undefined) return true;
    this.report(
      selector.range,
      `${region.name}[${hole}] is not mapped in '${proc.name}': it was MADV_DONTFORK in the parent, so fork left it out (dup_mmap skips VM_DONTCOPY); ${what}`,
      'segfault',
    );
    return false;
  }

  private action(s: Action): void {
    const proc = this.resolveProcess(s.process, 'act');
    if (proc === undefined) {
      // The child of a refused fork is still "known", so its later lines are not errors too.
      if ((s.kind === 'fork' || s.kind === 'vfork') && !this.world.processes.has(s.child.text)) this.world.phantom(s.child.text);
      return;
    }
    const line = s.range.line;
    switch (s.kind) {
      case 'map': {
        const existing = proc.space.regions.get(s.region.text);
        if (existing !== undefined && !existing.phantom) {
          this.report(s.region.range, `'${proc.name}' already has a region '${s.region.text}'${existing.symbol ? ` (mapped on line ${existing.symbol.definition.line})` : ''}; unmap it first or choose another name`, 'duplicate-name');
          return;
        }
        if (s.pages > this.limits.maxRegionPages) {
          this.report(s.size, `region of ${s.pages} pages is too large: the limit is ${this.limits.maxRegionPages} pages (${describeBytes(this.limits.maxRegionPages)})`, 'too-large');
          proc.space.regions.set(s.region.text, { name: s.region.text, pages: 0, kind: s.regionKind, symbol: undefined, dontfork: PageSet.empty(), holes: PageSet.empty(), phantom: true });
          return;
        }
        if (s.huge !== undefined && s.pages % HUGE_PAGES !== 0) {
          this.report(s.size, `a huge region is a whole number of 2 MiB huge pages: ${s.pages} pages is not a multiple of ${HUGE_PAGES}`, 'bad-huge');
          return;
        }
        const symbol = this.symbols.define({ kind: 'region', name: s.region.text, definition: s.region.range, statement: s.range, owner: proc.name, pages: s.pages, regionKind: s.regionKind });
        const region: RegionModel = { name: s.region.text, pages: s.pages, kind: s.regionKind, ...(s.huge !== undefined ? { huge: true } : {}), symbol, dontfork: PageSet.empty(), holes: PageSet.empty(), phantom: false };
        const refused = this.world.map(proc, region);
        if (refused) {
          this.engineRefuses(s.range, refused);
          proc.space.regions.set(s.region.text, { ...region, symbol: undefined, phantom: true });
        }
        return;
      }
      case 'unmap': {
        if (this.region(proc, s.region) === undefined) return;
        this.world.unmap(proc, s.region.text, line);
        return;
      }
      case 'read':
      case 'write': {
        const region = this.region(proc, s.target.region);
        const pages = region && this.pages(region, s.target);
        if (region && pages) this.noHoles(proc, region, s.target, pages, `${s.kind === 'read' ? 'reading' : 'writing'} it is a segmentation fault`);
        return;
      }
      case 'madvise': {
        const region = this.region(proc, s.target.region);
        const pages = region && this.pages(region, s.target);
        if (region === undefined || pages === undefined) return;
        if (!this.noHoles(proc, region, s.target, pages, 'madvise fails with ENOMEM')) return;
        const advice = s.advice.text;
        if (advice === 'wipeonfork' && region.kind === 'shared') {
          this.report(s.advice.range, `wipeonfork applies to private mappings only: madvise returns EINVAL for MAP_SHARED '${region.name}'`, 'invalid-advice');
          return;
        }
        if (advice === 'dontfork') region.dontfork = region.dontfork.add(pages.first, pages.last);
        else if (advice === 'normal') region.dontfork = region.dontfork.remove(pages.first, pages.last);
        return;
      }
      case 'fork':
      case 'vfork':
        this.createProcess(s.child, s.range, s.kind, proc);
        return;
      case 'exec':
        this.dropPins(proc);
        this.world.exec(proc, line);
        return;
      case 'exit':
        this.dropPins(proc);
        this.world.exit(proc, line);
        return;
      case 'vmsplice':
      case 'pin': {
        const region = this.region(proc, s.target.region);
        const pages = region && this.pages(region, s.target);
        if (!region || !pages || !this.noHoles(proc, region, s.target, pages, `${s.kind} fails with EFAULT`)) return;
        const n = pages.last - pages.first + 1;
        if (s.kind !== 'vmsplice') {
          const key = `${proc.name}\0${region.name}`;
          this.pinned.set(key, (this.pinned.get(key) ?? PageSet.empty()).add(pages.first, pages.last));
          return;
        }
        const held = this.pipes.get(s.pipe.text) ?? 0;
        if (held + n > PIPE_PAGES) {
          this.report(s.target.range, `pipe '${s.pipe.text}' holds at most ${PIPE_PAGES} pages (the default pipe size); it holds ${held} here, so ${n} more do not fit — drain it first`, 'pipe-full');
          return;
        }
        this.pipes.set(s.pipe.text, held + n);
        return;
      }
      case 'unpin': {
        const set = this.pinned.get(`${proc.name}\0${s.target.region.text}`) ?? PageSet.empty();
        const region = proc.space.regions.get(s.target.region.text);
        // Pins outlive munmap, so the region may be gone; when it is there, this is a use of it.
        if (region?.symbol && !region.phantom) this.symbols.reference(region.symbol, s.target.region.range);
        const first = s.target.pages?.first ?? 0;
        const last = s.target.pages?.last ?? Math.max(0, (region?.pages ?? 1) - 1);
        for (let page = first; page <= last; page++) {
          if (!set.has(page)) {
            this.report(s.target.range, `'${proc.name}' has not pinned ${s.target.region.text}[${page}]: pin it first`, 'not-pinned');
            return;
          }
        }
        this.pinned.set(`${proc.name}\0${s.target.region.text}`, set.remove(first, last));
        return;
      }
      case 'drain':
        if (!this.pipes.has(s.pipe.text)) {
          const { hint, suggestion } = didYouMean(s.pipe.text, [...this.pipes.keys()]);
          this.report(s.pipe.range, `no pipe named '${s.pipe.text}' yet${hint || ' — a vmsplice into it creates it'}`, 'unknown-pipe', 'error', suggestion);
          return;
        }
        this.pipes.set(s.pipe.text, 0);
        return;
    }
  }

  /** What the engine's lifecycle rules refuse and the checks above did not catch: reported in the engine's words. */
  private engineRefuses(range: Range, error: EngineError): void {
    this.report(range, error.message, error.code === 'too-large' || error.code === 'duplicate-name' ? error.code : 'engine-error');
  }

  /** Closing the io_uring file at exit or exec unregisters the process's buffers. */
  private dropPins(proc: ProcessModel): void {
    for (const key of [...this.pinned.keys()]) if (key.startsWith(`${proc.name}\0`)) this.pinned.delete(key);
  }

  private expect(s: ExpectStatement): void {
    const claim = s.claim;
    if (claim.kind === 'counter') return;
    if (claim.kind === 'pipe-value') {
      const held = this.pipes.get(claim.pipe.text);
      if (held === undefined) {
        const { hint, suggestion } = didYouMean(claim.pipe.text, [...this.pipes.keys()]);
        this.report(claim.pipe.range, `no pipe named '${claim.pipe.text}' yet${hint || " — a page claim names the process first: 'expect p heap[0] …'"}`, 'unknown-pipe', 'error', suggestion);
      } else if (claim.index.value >= held) {
        this.report(claim.index.range, held === 0 ? `pipe '${claim.pipe.text}' is empty here` : `pipe '${claim.pipe.text}' holds ${held} page${held === 1 ? '' : 's'} here (0..${held - 1})`, 'page-out-of-range');
      }
      return;
    }
    if ((claim.kind === 'property' || claim.kind === 'block-property') && claim.property.text === 'exclusive' && this.kernel !== undefined && !kernelAtLeast(this.kernel, 5, 19)) {
      this.report(
        claim.property.range,
        `Linux ${this.kernel.major}.${this.kernel.minor} keeps no exclusive mark on anonymous pages (PageAnonExclusive arrived in 5.19): no page ever carries it here; 'mapcount == 1' or 'refcount == 1' say what this kernel looks at`,
        'other-era',
        'warning',
      );
    }
    if (claim.kind === 'status') {
      this.resolveProcess(claim.process, 'status');
      return;
    }
    if (claim.kind === 'memory') {
      this.resolveProcess(claim.process, 'look');
      return;
    }
    const proc = this.resolveProcess(claim.target.process, 'look');
    if (proc === undefined) return;
    // `exclusive` on a process is the page's exclusive mark (the parser reads the word as a block claim).
    const pageExclusive = claim.kind === 'block-property' && claim.property.text === 'exclusive';
    if (claim.kind === 'block' || (claim.kind === 'block-property' && !pageExclusive) || (claim.kind === 'shared-with' && claim.otherSelector !== undefined)) {
      this.report(claim.target.process.range, `'${proc.name}' is a process: block claims ('block ==', 'exclusive', 'copied-up', 'shared with VOLUME FILE[i]') are about a volume's or container's files`, 'wrong-kind');
      return;
    }
    const region = this.region(proc, claim.target.selector.region);
    if (region === undefined || this.pages(region, claim.target.selector) === undefined) return;
    if (claim.kind !== 'shared-with') return;
    const other = this.resolveProcess(claim.other, 'look');
    if (other === undefined) return;
    if (other === proc) {
      this.report(claim.other.range, `comparing '${proc.name}' with itself always finds the same frame; name another process`, 'self-comparison', 'warning');
      return;
    }
    const otherRegion = other.space.regions.get(region.name);
    if (otherRegion === undefined || otherRegion.phantom) {
      this.report(claim.other.range, `'${other.name}' has no region '${region.name}' to compare with`, 'unknown-region');
      return;
    }
    if (claim.target.selector.pages !== undefined && claim.target.selector.pages.last >= otherRegion.pages) {
      this.report(claim.other.range, `'${other.name}'s '${region.name}' has only ${otherRegion.pages} pages`, 'page-out-of-range');
    }
  }
}
