import * as path from 'node:path';

/** The repository root (this file is test/unit/static/paths.ts). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
