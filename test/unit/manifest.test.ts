// The manifest (package.json) against the code and files it names: every contributed command has a
// handler in src/, every menu entry names a contributed command, and every language, grammar,
// snippet, icon and walkthrough media path exists. Written to keep passing as contributions grow.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes ?? {};

interface Manifest {
  main?: string;
  icon?: string;
  contributes?: {
    commands?: { command: string; title: string; icon?: unknown }[];
    menus?: Record<string, { command?: string; alt?: string; submenu?: string }[]>;
    keybindings?: { command: string }[];
    languages?: { id: string; extensions?: string[]; configuration?: string; icon?: unknown }[];
    grammars?: { language?: string; scopeName: string; path: string }[];
    snippets?: { language: string; path: string }[];
    walkthroughs?: { id: string; steps: { id: string; media?: Record<string, unknown> }[] }[];
  };
}

/** Every .ts file under src/, read once: where command handlers must be registered. */
function sourceTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) texts.set(full, fs.readFileSync(full, 'utf8'));
    }
  };
  visit(path.join(root, 'src'));
  return texts;
}

function mentionsAsString(text: string, id: string): boolean {
  return [`'${id}'`, `"${id}"`, `\`${id}\``].some((quoted) => text.includes(quoted));
}

/** Paths in the manifest are relative to the extension root; `$(codicon)` names are not paths. */
function assertFileExists(where: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    if (value.startsWith('$(')) return;
    const full = path.join(root, value);
    assert.ok(fs.existsSync(full) && fs.statSync(full).isFile(), `${where}: ${value} does not exist`);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    // Themed variants: { light, dark, hc, hcLight }.
    for (const [theme, themed] of Object.entries(value)) assertFileExists(`${where}.${theme}`, themed);
    return;
  }
  assert.fail(`${where}: expected a path, got ${JSON.stringify(value)}`);
}

describe('package.json manifest', () => {
  const commands = contributes.commands ?? [];
  const commandIds = new Set(commands.map((c) => c.command));

  it('is read from the real sources (guards this test itself)', () => {
    const texts = [...sourceTexts().values()];
    assert.ok(texts.some((text) => text.includes('export function activate')), 'no activate() found under src/');
  });

  it('contributes the cow language for *.cow files', () => {
    const cow = (contributes.languages ?? []).find((language) => language.id === 'cow');
    assert.ok(cow, 'language cow is not contributed');
    assert.ok(cow.extensions?.includes('.cow'), 'cow does not claim .cow');
  });

  it('has a handler registered in src/ for every contributed command', () => {
    const texts = [...sourceTexts().values()];
    const missing = commands.filter((c) => !texts.some((text) => mentionsAsString(text, c.command)));
    assert.deepEqual(missing.map((c) => c.command), [], 'commands contributed without a handler in src/');
  });

  it('contributes each command once, with a title', () => {
    assert.equal(commandIds.size, commands.length, 'a command id is contributed twice');
    for (const command of commands) assert.ok(command.title, `${command.command} has no title`);
  });

  it('names only contributed commands in menus', () => {
    for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
      for (const item of items) {
        for (const id of [item.command, item.alt]) {
          if (id !== undefined) assert.ok(commandIds.has(id), `menus.${menu}: ${id} is not in contributes.commands`);
        }
        assert.ok(item.command ?? item.submenu, `menus.${menu}: an entry has neither command nor submenu`);
      }
    }
  });

  it('finds every command icon, language, grammar and snippet file on disk', () => {
    assertFileExists('icon', manifest.icon);
    for (const command of commands) assertFileExists(`commands.${command.command}.icon`, command.icon);
    const languageIds = new Set((contributes.languages ?? []).map((language) => language.id));
    for (const language of contributes.languages ?? []) {
      assertFileExists(`languages.${language.id}.configuration`, language.configuration);
      assertFileExists(`languages.${language.id}.icon`, language.icon);
    }
    for (const grammar of contributes.grammars ?? []) {
      assertFileExists(`grammars.${grammar.scopeName}.path`, grammar.path);
      if (grammar.language) assert.ok(languageIds.has(grammar.language), `grammar for unknown language ${grammar.language}`);
    }
    for (const snippet of contributes.snippets ?? []) {
      assertFileExists(`snippets.${snippet.language}.path`, snippet.path);
    }
  });

  it('finds every walkthrough step media file on disk', () => {
    for (const walkthrough of contributes.walkthroughs ?? []) {
      for (const step of walkthrough.steps) {
        const media = step.media ?? {};
        const where = `walkthroughs.${walkthrough.id}.${step.id}`;
        for (const kind of ['image', 'markdown', 'svg'] as const) assertFileExists(`${where}.media.${kind}`, media[kind]);
      }
    }
  });
});
