// ESLint (flat config) with typescript-eslint's type information. Two jobs:
// 1. The layering the README promises, as rules: each layer may import only what is below it.
//    engine → itself; storage → itself and the engine; language → engine and storage;
//    protocol → types only; webview → the protocol and itself; `vscode` only in the glue;
//    no Node built-ins in engine, storage, language, protocol, tutorial or webview (they run in
//    a web worker and a webview too). test/unit/static/boundaries.test.ts shows every rule
//    failing on a violating import.
// 2. A few type-aware checks that catch real bugs in extension code (promises nobody awaits,
//    `any` leaking through a message).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** The layers, by folder. Each entry is one boundary rule; the tests reuse this table. */
export const LAYERS = {
  engine: { files: ['src/engine/**/*.ts'], allowed: 'only itself', only: '^(?!\\./)' },
  storage: { files: ['src/storage/**/*.ts'], allowed: 'only itself and the engine', only: '^(?!\\./|\\.\\./engine(/|$))' },
  language: { files: ['src/language/**/*.ts'], allowed: 'only the engine and the storage model', only: '^(?!\\./|\\.\\./(engine|storage)(/|$))' },
  tutorial: { files: ['src/tutorial/**/*.ts'], allowed: 'only the language, the engine and the storage model', only: '^(?!\\./|\\.\\./(language|engine|storage)(/|$))' },
  protocol: { files: ['src/protocol/**/*.ts'], allowed: 'types only, from itself, the engine or the storage model', only: '^(?!\\./|\\.\\./(engine|storage)(/|$))', typesOnly: true },
  webview: { files: ['webview/**/*.ts'], allowed: 'only the protocol, itself and its UI packages', only: '^\\.\\./(?!src/protocol/)' },
};

/** Folders where `vscode` must not be imported: everything except the glue. */
const NO_VSCODE = ['src/engine/**', 'src/storage/**', 'src/language/**', 'src/protocol/**', 'src/tutorial/**', 'src/verify/**', 'src/cli/**', 'webview/**'];
/** Folders that must run in a browser: no Node built-ins. */
const NO_NODE = ['src/engine/**', 'src/storage/**', 'src/language/**', 'src/protocol/**', 'src/tutorial/**', 'webview/**'];

const vscodePath = { name: 'vscode', message: '`vscode` belongs to the extension glue only (extension.ts, panel, features, tutorial-vscode, debug).' };
const nodePaths = builtinModules
  .filter((name) => !name.startsWith('_'))
  .map((name) => ({ name, message: 'No Node built-ins here: this layer also runs in a web worker and a webview.' }));
const nodePattern = { regex: '^node:', message: 'No Node built-ins here: this layer also runs in a web worker and a webview.' };

function layerBlock(name, layer) {
  const message = `The ${name} layer imports ${layer.allowed}.`;
  const pattern = { regex: layer.only, message };
  const paths = [];
  const patterns = [pattern];
  const inFolder = (list) => list.some((glob) => layer.files[0].startsWith(glob.replace('/**', '/')));
  if (inFolder(NO_VSCODE)) paths.push(vscodePath);
  if (inFolder(NO_NODE)) {
    paths.push(...nodePaths);
    patterns.push(nodePattern);
  }
  return {
    name: `cow-lab/layer-${name}`,
    files: layer.files,
    rules: {
      // The core rule sees `import type` like any import: it decides where a layer may import from.
      'no-restricted-imports': ['error', { paths, patterns }],
      // typescript-eslint's tells type imports apart: in a types-only layer every value import fails.
      ...(layer.typesOnly ? { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '.*', allowTypeImports: true, message }] }] } : {}),
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-artifacts/**', 'test/fixtures/**', '**/*.js', '**/*.cjs'] },
  {
    name: 'cow-lab/typescript',
    files: ['**/*.ts', '**/*.mts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Layers outside the table: verify and cli may use Node but never `vscode`.
  {
    name: 'cow-lab/no-vscode-in-node-tools',
    files: ['src/verify/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodePath] }] },
  },
  ...Object.entries(LAYERS).map(([name, layer]) => layerBlock(name, layer)),
  {
    name: 'cow-lab/scripts',
    files: ['**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
