// Volumes, containers and their files as declared before a line, for completion after
// `data: `, `data: write `, `expect data `. Sizes only, never blocks.
import { isStorageAction, type Program } from '../../language';

export interface SpaceInScope {
  readonly name: string;
  readonly kind: 'volume' | 'container';
  /** Volumes: the file system; containers: 'overlay'. */
  readonly detail: string;
  readonly files: Map<string, number>;
  readonly createdOn: number;
}

export function storageScopeAt(program: Program, line: number): Map<string, SpaceInScope> {
  const spaces = new Map<string, SpaceInScope>();
  const lowerFiles = new Map<string, Map<string, number>>();
  for (const s of program.statements) {
    if (s.range.line >= line) break;
    if (s.kind === 'volume' && !spaces.has(s.name.text)) {
      spaces.set(s.name.text, { name: s.name.text, kind: 'volume', detail: s.fsType.text, files: new Map(), createdOn: s.range.line });
    } else if (s.kind === 'container' && !spaces.has(s.name.text)) {
      const lower = spaces.get(s.lower.text);
      const files = new Map(lower?.files ?? []);
      lowerFiles.set(s.name.text, files);
      spaces.set(s.name.text, { name: s.name.text, kind: 'container', detail: `overlay: ${s.lower.text} + ${s.upper.text}`, files, createdOn: s.range.line });
    } else if (isStorageAction(s)) {
      const space = spaces.get(s.process.text);
      if (space === undefined) continue;
      switch (s.kind) {
        case 'create':
          space.files.set(s.file.text, s.blocks);
          break;
        case 'reflink':
        case 'copy': {
          const size = space.files.get(s.file.text);
          if (size !== undefined) space.files.set(s.target.text, size);
          break;
        }
        case 'delete':
          space.files.delete(s.file.text);
          break;
        case 'snapshot':
          if (space.kind === 'volume' && !spaces.has(s.snapshot.text)) spaces.set(s.snapshot.text, { name: s.snapshot.text, kind: 'volume', detail: `btrfs snapshot of ${space.name}`, files: new Map(space.files), createdOn: s.range.line });
          break;
      }
    }
  }
  return spaces;
}
