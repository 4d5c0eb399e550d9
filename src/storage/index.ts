// The CoW Lab storage model: volumes, files as block maps, reference counts, btrfs extents and
// snapshots, XFS reflinks, ext4 as the full-copy baseline, overlayfs copy-up. Pure TypeScript
// (no `vscode`, no Node APIs), a sibling of the memory engine.
export * from './types';
export { applyStorage, type StorageOutcome } from './apply';
export { Storage, createStorage, type ResolvedFile } from './storage';
export { StorageTimeline } from './timeline';
