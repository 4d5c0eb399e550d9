// Hover and completion words for storage statements: storage verbs, file systems, block claims.
import { STORAGE_VERB_DOCS, type BlockProperty, type FsTypeWord, type StorageVerb } from '../../language';

export function storageVerbMarkdown(verb: StorageVerb | 'read' | 'write'): string {
  const doc = STORAGE_VERB_DOCS[verb];
  const kernel = doc.kernel !== undefined ? `\n\nIn the Linux kernel: \`${doc.kernel}\`.` : '';
  return `**${verb}** (volume or container) — ${doc.summary}${kernel}\n\n\`\`\`cow\n${doc.example}\n\`\`\``;
}

export const FS_TYPE_DOCS: Readonly<Record<FsTypeWord, string>> = {
  btrfs: 'copy-on-write for everything: data goes to a new place on every write, files share extents (reflink, snapshots), and an extent is freed only when no part of it is referenced.',
  xfs: 'overwrites in place, but counts references per block (the refcount btree): reflink shares blocks, and a write to a shared block gets a new one (the CoW fork).',
  ext4: 'overwrites in place and never shares a block between files: the full-copy baseline (reflink is refused, copy-up copies whole files).',
};

export function fsTypeMarkdown(type: FsTypeWord): string {
  return `**${type}** — ${FS_TYPE_DOCS[type]}`;
}

export const BLOCK_PROPERTY_DOCS: Readonly<Record<BlockProperty, string>> = {
  exclusive: 'the physical block is referenced by this file block only (reference count 1)',
  'copied-up': 'the container copied the file from its lower layer into its upper directory (ovl_copy_up)',
};

export function blockPropertyMarkdown(property: BlockProperty): string {
  return `**${property}** — ${BLOCK_PROPERTY_DOCS[property]}.`;
}

export function blocksText(blocks: number): string {
  const kib = blocks * 4;
  const size = kib >= 1024 * 1024 && kib % (1024 * 1024) === 0 ? `${kib / 1024 / 1024} GiB` : kib >= 1024 && kib % 1024 === 0 ? `${kib / 1024} MiB` : `${kib} KiB`;
  return `${blocks} block${blocks === 1 ? '' : 's'}, ${size}`;
}

export function blocksMarkdown(blocks: number): string {
  return `**${blocksText(blocks)}** of 4 KiB blocks, every one written when the file is created.`;
}
