// The scenario behind a storage exercise, chosen by a seed: one of three stories of the article's
// storage half, with a few random turns, and `expect … == ?` questions after the steps that
// change something. A small world model keeps every statement valid (files exist, blocks in
// range, lower layers untouched once a container uses them); the answers come from the storage
// model when the exercise is graded (exercise.ts), never from here.
//   snapshot  — a btrfs subvolume snapshotted while its database file keeps being written;
//   reflink   — a VM image cloned with `reflink` (btrfs or xfs) or copied (ext4, which cannot share);
//   container — overlayfs copy-up: ext4 copies the whole file up, xfs on one file system clones it.
import { dedupeQuestions, Random, type GeneratedLine } from './generate';

export type StorageStory = 'snapshot' | 'reflink' | 'container';

export interface GeneratedStorageScenario {
  readonly story: StorageStory;
  /** The file systems the scenario uses, for the exercise's hints. */
  readonly fileSystems: readonly string[];
  readonly lines: readonly GeneratedLine[];
}

/** A file someone may write: where it lives, its name, its length in blocks. */
interface Target {
  readonly space: string;
  readonly file: string;
  readonly blocks: number;
}

/** Draws a scenario; the same seed always gives the same text. */
export function generateStorageScenario(seed: number): GeneratedStorageScenario {
  const rng = new Random(seed ^ 0x2545f491);
  const lines: GeneratedLine[] = [];
  const op = (text: string): void => void lines.push({ kind: 'op', text });
  const ask = (text: string, comment: string): void => void lines.push({ kind: 'question', text, comment });
  let version = 1;
  /** A write of a block range of `t`, with a fresh value; asks what a sharer or the file now reads. */
  const write = (t: Target, sharer?: Target): void => {
    version += 1;
    const first = rng.int(0, t.blocks - 1);
    const last = Math.min(t.blocks - 1, first + rng.int(0, 3));
    op(`${t.space}: write ${t.file}[${first === last ? first : `${first}..${last}`}] "v${version}"`);
    const roll = rng.next();
    // A block of the same file this write did not touch: does it still read what it did?
    const untouched = last + 1 < t.blocks ? last + 1 : first - 1;
    if (sharer && roll < 0.45) ask(`expect ${sharer.space} ${sharer.file}[${first}] == ?`, `what does ${sharer.space} ${sharer.file}[${first}] hold now?`);
    else if (roll < 0.85 || untouched < 0) ask('expect blocks == ?', 'how many blocks are allocated now, on every volume?');
    else ask(`expect ${t.space} ${t.file}[${untouched}] == ?`, `what does ${t.space} ${t.file}[${untouched}] hold now?`);
  };
  const blocks = (): number => rng.pick([4, 8, 16, 32]);

  const story = rng.pick<StorageStory>(['snapshot', 'reflink', 'container']);
  const fileSystems: string[] = [];
  if (story === 'snapshot') {
    fileSystems.push('btrfs');
    const db: Target = { space: 'data', file: 'db', blocks: blocks() };
    op('volume data btrfs');
    op(`data: create db ${db.blocks} "v1"`);
    ask('expect blocks == ?', 'how many blocks are allocated now?');
    op('data: snapshot backup');
    ask('expect blocks == ?', 'how many blocks are allocated after the snapshot?');
    const backup: Target = { ...db, space: 'backup' };
    for (let turns = rng.int(2, 4); turns > 0; turns -= 1) {
      if (rng.chance(0.75)) write(db, backup);
      else write(backup, db);
    }
    if (rng.chance(0.5)) {
      op('data: delete db');
      ask('expect blocks == ?', 'how many blocks are allocated after the live file is deleted?');
    }
  } else if (story === 'reflink') {
    const fs = rng.pick(['btrfs', 'xfs', 'xfs', 'ext4']);
    fileSystems.push(fs);
    const base: Target = { space: 'vms', file: 'base.img', blocks: blocks() };
    const clone: Target = { ...base, file: 'vm1.img' };
    op(`volume vms ${fs}`);
    op(`vms: create base.img ${base.blocks} "os"`);
    op(`vms: ${fs === 'ext4' ? 'copy' : 'reflink'} base.img vm1.img`);
    ask('expect blocksCopied == ?', 'how many blocks have been filled by copying another block so far?');
    for (let turns = rng.int(2, 3); turns > 0; turns -= 1) {
      if (rng.chance(0.7)) write(clone, base);
      else write(base, clone);
    }
    if (fs !== 'ext4' && rng.chance(0.5)) {
      op('vms: copy base.img vm2.img');
      ask('expect blocksCopied == ?', 'how many blocks have been copied so far?');
    }
    if (rng.chance(0.4)) {
      op('vms: delete base.img');
      ask('expect blocks == ?', 'how many blocks are allocated after base.img is deleted?');
    }
  } else {
    const fs = rng.pick(['ext4', 'xfs']);
    const sameVolume = fs === 'xfs' && rng.chance(0.6);
    fileSystems.push(fs);
    const lib: Target = { space: 'c1', file: 'lib.so', blocks: blocks() };
    op(`volume image ${fs}`);
    op(`image: create lib.so ${lib.blocks} "lib"`);
    if (!sameVolume) op(`volume upper ${fs}`);
    const upper = sameVolume ? 'image' : 'upper';
    op(`container c1 image ${upper}`);
    ask('expect blocks == ?', 'how many blocks are allocated before the container writes?');
    write(lib, { space: 'image', file: 'lib.so', blocks: lib.blocks });
    ask('expect blocksCopied == ?', 'how many blocks did the first write copy (copy-up included)?');
    if (rng.chance(0.6)) write(lib);
    if (rng.chance(0.5)) {
      op(`container c2 image ${upper}`);
      write({ ...lib, space: 'c2' }, lib);
      ask('expect blocksCopied == ?', 'how many blocks have been copied in all?');
    }
  }
  ask('expect blocks == ?', 'how many blocks are allocated at the end?');
  return { story, fileSystems, lines: dedupeQuestions(lines) };
}
