// Invariants every storage version must satisfy, checked from the raw tables by counting, not
// by the code under test: reference counts equal the references the files hold, btrfs extents
// count their blocks' references, and the space figures add up.
import type { Storage } from '../../../src/storage';

export function checkInvariants(s: Storage): string[] {
  const problems: string[] = [];
  const counted = new Map<number, number>();
  const fsOfBlock = new Map<number, number>();
  const note = (block: number, fs: number, where: string): void => {
    counted.set(block, (counted.get(block) ?? 0) + 1);
    if (s.block(block) === undefined) problems.push(`${where} references block ${block}, which is not allocated`);
    const seen = fsOfBlock.get(block);
    if (seen !== undefined && seen !== fs) problems.push(`block ${block} is referenced from file systems ${seen} and ${fs}`);
    fsOfBlock.set(block, fs);
    if (s.block(block) !== undefined && s.block(block)?.fs !== fs) problems.push(`${where}: block ${block} belongs to fs ${s.block(block)?.fs}, the file to fs ${fs}`);
  };
  // Every file a volume holds, and every file in a container's upper directory.
  for (const v of s.volumes()) {
    for (const r of s.resolvedFiles(v.name)) {
      for (let i = 0; i < r.file.size; i++) note(r.file.map.get(i), r.fs, `${v.name} ${r.file.name}[${i}]`);
    }
  }
  for (const c of s.containers()) {
    for (const r of s.resolvedFiles(c.name)) {
      if (r.layer !== 'upper') continue;
      for (let i = 0; i < r.file.size; i++) note(r.file.map.get(i), r.fs, `${c.name} ${r.file.name}[${i}]`);
    }
  }
  let allocated = 0;
  let kept = 0;
  const extentSums = new Map<number, number>();
  s.forEachBlock((block) => {
    allocated++;
    const view = s.block(block);
    if (view === undefined) return;
    const expected = counted.get(block) ?? 0;
    if (view.refs !== expected) problems.push(`block ${block} counts ${view.refs} references; files hold ${expected}`);
    if (view.extent === 0 && view.refs === 0) problems.push(`block ${block} is allocated with no reference and no extent`);
    if (view.extent !== 0) {
      extentSums.set(view.extent, (extentSums.get(view.extent) ?? 0) + view.refs);
      if (view.refs === 0) kept++;
    }
  });
  for (const [extent, sum] of extentSums) {
    const e = s.extent(extent);
    if (e === undefined) problems.push(`extent ${extent} holds allocated blocks but is not live`);
    else if (e.refs !== sum) problems.push(`extent ${extent} counts ${e.refs} references; its blocks hold ${sum}`);
    else if (sum === 0) problems.push(`extent ${extent} is live with no reference`);
  }
  if (s.stats.blocks !== allocated) problems.push(`stats.blocks is ${s.stats.blocks}; ${allocated} blocks are allocated`);
  if (s.stats.blocksKept !== kept) problems.push(`stats.blocksKept is ${s.stats.blocksKept}; ${kept} unreferenced blocks sit in live extents`);
  const used = s.fileSystems().reduce((n, f) => n + f.used, 0);
  if (used !== allocated) problems.push(`file systems report ${used} blocks used; ${allocated} are allocated`);
  if (s.stats.bytesCopied !== s.stats.blocksCopied * 4096) problems.push('bytesCopied is not blocksCopied × 4096');
  return problems;
}
