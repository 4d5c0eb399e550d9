// Types of scripts/static-checks.mjs for the TypeScript tests that import it.
export const repoRoot: string;
export const TSCONFIGS: readonly string[];
export function typecheck(tsconfig: string): Promise<{ ok: boolean; diagnostics: string[] }>;
export function projectFiles(tsconfig: string): Promise<string[]>;
export function lint(): Promise<{ files: number; failed: { file: string; messages: string[] }[] }>;
