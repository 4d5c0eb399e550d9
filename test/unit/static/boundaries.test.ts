// Each layering rule of eslint.config.mjs, shown failing on a violating import and passing on an
// allowed one. The fixtures are lint texts placed (virtually) inside the layer they test; type
// information is switched off for them because the files do not exist on disk.
import * as assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { repoRoot } from './paths';

/** The core rule decides where a layer may import from; typescript-eslint's enforces types-only. */
const RULES = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports']);

interface Fixture {
  /** Where the fixture pretends to live. */
  readonly file: string;
  readonly code: string;
  /** A fragment of the expected message, or null when the import is allowed. */
  readonly violation: string | null;
}

const NODE = 'No Node built-ins here';
const VSCODE = '`vscode` belongs to the extension glue only';

const FIXTURES: readonly Fixture[] = [
  // engine: only itself
  { file: 'src/engine/fixture.ts', code: "import { x } from './types';", violation: null },
  { file: 'src/engine/fixture.ts', code: "import { parse } from '../language/parser';", violation: 'The engine layer imports only itself' },
  { file: 'src/engine/fixture.ts', code: "import { thing } from 'some-package';", violation: 'The engine layer imports only itself' },
  { file: 'src/engine/fixture.ts', code: "import * as vscode from 'vscode';", violation: VSCODE },
  { file: 'src/engine/fixture.ts', code: "import { readFileSync } from 'node:fs';", violation: NODE },
  { file: 'src/engine/fixture.ts', code: "import { readFileSync } from 'fs';", violation: NODE },
  // storage: itself and the engine
  { file: 'src/storage/fixture.ts', code: "import { PVec } from '../engine/pvec';", violation: null },
  { file: 'src/storage/fixture.ts', code: "import { parse } from '../language/parser';", violation: 'The storage layer imports only itself and the engine' },
  { file: 'src/storage/fixture.ts', code: "import { join } from 'path';", violation: NODE },
  // language: the engine and the storage model
  { file: 'src/language/fixture.ts', code: "import { apply } from '../engine';", violation: null },
  { file: 'src/language/fixture.ts', code: "import { PanelController } from '../panel/controller';", violation: 'The language layer imports only the engine and the storage model' },
  { file: 'src/language/fixture.ts', code: "import * as vscode from 'vscode';", violation: VSCODE },
  { file: 'src/language/fixture.ts', code: "import { spawn } from 'node:child_process';", violation: NODE },
  // tutorial (pure): the language, the engine, the storage model
  { file: 'src/tutorial/fixture.ts', code: "import { parse } from '../language';", violation: null },
  { file: 'src/tutorial/fixture.ts', code: "import { open } from '../tutorial-vscode/samples';", violation: 'The tutorial layer imports only the language' },
  { file: 'src/tutorial/fixture.ts', code: "import * as os from 'os';", violation: NODE },
  // protocol: types only
  { file: 'src/protocol/fixture.ts', code: "import type { Stats } from '../engine/types';", violation: null },
  { file: 'src/protocol/fixture.ts', code: "import { apply } from '../engine/apply';", violation: 'The protocol layer imports types only' },
  { file: 'src/protocol/fixture.ts', code: "import type { Foo } from '../panel/controller';", violation: 'The protocol layer imports types only' },
  { file: 'src/protocol/fixture.ts', code: "import type { Uri } from 'vscode';", violation: VSCODE },
  // webview: the protocol, itself and its UI packages
  { file: 'webview/fixture.ts', code: "import type { HostMessage } from '../src/protocol/messages';", violation: null },
  { file: 'webview/fixture.ts', code: "import '@vscode-elements/elements/dist/vscode-button/index.js';", violation: null },
  { file: 'webview/fixture.ts', code: "import { render } from './app';", violation: null },
  { file: 'webview/fixture.ts', code: "import { Machine } from '../src/engine/machine';", violation: 'The webview layer imports only the protocol' },
  { file: 'webview/fixture.ts', code: "import * as vscode from 'vscode';", violation: VSCODE },
  { file: 'webview/fixture.ts', code: "import { Buffer } from 'node:buffer';", violation: NODE },
  // Node tools: Node yes, vscode no
  { file: 'src/verify/fixture.ts', code: "import { spawn } from 'node:child_process';", violation: null },
  { file: 'src/verify/fixture.ts', code: "import * as vscode from 'vscode';", violation: VSCODE },
  { file: 'src/cli/fixture.ts', code: "import * as vscode from 'vscode';", violation: VSCODE },
  // glue: vscode is its job
  { file: 'src/panel/fixture.ts', code: "import * as vscode from 'vscode';", violation: null },
  { file: 'src/features/fixture.ts', code: "import * as vscode from 'vscode';", violation: null },
];

describe('static: layering rules (eslint.config.mjs)', function () {
  this.timeout(120_000);
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({
      cwd: repoRoot,
      overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
    });
  });

  for (const fixture of FIXTURES) {
    const expectation = fixture.violation === null ? 'allows' : 'refuses';
    it(`${fixture.file}: ${expectation} ${fixture.code}`, async () => {
      const [result] = await eslint.lintText(`${fixture.code}\nexport {};\n`, { filePath: `${repoRoot}/${fixture.file}` });
      assert.ok(result, 'ESLint returned no result');
      const fatal = result.messages.filter((m) => m.fatal);
      assert.deepEqual(fatal, [], 'the fixture must parse');
      const restricted = result.messages.filter((m) => m.ruleId !== null && RULES.has(m.ruleId));
      if (fixture.violation === null) {
        assert.deepEqual(restricted.map((m) => m.message), []);
      } else {
        // A Node built-in in a pure layer breaks two rules at once (built-in, and outside the layer).
        const matching = restricted.filter((m) => m.message.includes(fixture.violation ?? ''));
        assert.equal(matching.length, 1, `expected an error saying "${fixture.violation}", got ${JSON.stringify(restricted.map((m) => m.message))}`);
        assert.equal(matching[0]?.line, 1);
        assert.equal(matching[0]?.severity, 2);
      }
    });
  }
});
