// Random valid storage operations, chosen from the reference model's state (so every one should
// be accepted), for the property tests here and the storage part of the kernel corpus.
import { rng } from '../../conformance/generate';
import type { FsType, StorageOperation } from '../../../src/storage';
import type { ReferenceStorage } from './reference-model';

export function randomOps(seed: number, count: number, ref: ReferenceStorage, policyEager = false): StorageOperation[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const ops: StorageOperation[] = [];
  let names = 0;
  const fresh = (p: string): string => `${p}${names++}`;
  const lowers = (): Set<string> => new Set([...ref.containers.values()].map((c) => c.lower));
  for (let n = 0; n < count; n++) {
    const volumes = [...ref.volumes.keys()];
    const writable = [...volumes.filter((v) => !lowers().has(v)), ...ref.containers.keys()];
    const roll = next();
    let op: StorageOperation | undefined;
    if (volumes.length < 2 || roll < 0.06) {
      op = { op: 'volume', volume: fresh('v'), fs: pick<FsType>(['btrfs', 'xfs', 'ext4']) };
    } else if (roll < 0.12) {
      const btrfs = volumes.filter((v) => ref.volumes.get(v)?.type === 'btrfs');
      if (btrfs.length > 0) op = { op: 'snapshot', volume: pick(btrfs), snapshot: fresh('s') };
    } else if (roll < 0.17 && ref.containers.size < 3) {
      const withFiles = volumes.filter((v) => (ref.volumes.get(v)?.files.size ?? 0) > 0);
      if (withFiles.length > 0) op = { op: 'container', container: fresh('c'), lower: pick(withFiles), upper: pick(volumes) };
    } else if (writable.length > 0) {
      const space = pick(writable);
      const files = [...ref.files(space).entries()];
      const isContainer = ref.containers.has(space);
      const ext4 = !isContainer && ref.volumes.get(space)?.type === 'ext4';
      const r = next();
      if (files.length === 0 || r < 0.2) {
        op = { op: 'create', volume: space, file: fresh('f'), blocks: 1 + Math.floor(next() * 6), value: fresh('x') };
      } else {
        const [file, blocks] = pick(files);
        const first = Math.floor(next() * blocks.length);
        const last = Math.min(blocks.length - 1, first + Math.floor(next() * 3));
        if (r < 0.6) op = { op: 'write', volume: space, file, first, last, value: fresh('w') };
        else if (r < 0.7) op = { op: 'read', volume: space, file, first, last };
        else if (r < 0.82 && !isContainer && !ext4) op = { op: 'reflink', volume: space, file, target: fresh('r') };
        else if (r < 0.9) op = { op: 'copy', volume: space, file, target: fresh('p') };
        else op = { op: 'delete', volume: space, file };
      }
    }
    if (op === undefined) continue;
    ops.push(op);
    ref.apply(op);
  }
  void policyEager;
  return ops;
}
