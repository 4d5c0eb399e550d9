// The tutorial inside a real VS Code: the walkthrough is contributed and opens, every step's
// button runs and does what the step promises, New Exercise opens an exercise, Check My Answers
// grades right and wrong answers and reverse exercises, the comparison table is filled in.
// Waits are on events (tab changes, command promises); nothing sleeps.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createExercise, reverseSolution } from '../../src/tutorial';

const EXTENSION_ID = 'cow-lab.cow-lab';
const WALKTHROUGH_ID = 'learnCopyOnWrite';
const WALKTHROUGH = `${EXTENSION_ID}#${WALKTHROUGH_ID}`;

interface Step {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly completionEvents?: readonly string[];
  readonly media: { readonly svg?: string; readonly image?: string; readonly markdown?: string };
}

interface Link {
  readonly command: string;
  readonly args: unknown[];
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext;
}

function walkthroughSteps(): readonly Step[] {
  const walkthroughs = (extension().packageJSON as { contributes?: { walkthroughs?: { id: string; steps: Step[] }[] } }).contributes?.walkthroughs ?? [];
  const walkthrough = walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
  assert.ok(walkthrough, `walkthrough ${WALKTHROUGH_ID} is not contributed`);
  return walkthrough.steps;
}

/** A step's buttons: description lines that are one `[label](command:…)` link and nothing else. */
function buttons(step: Step): Link[] {
  return step.description
    .split('\n')
    .map((line) => /^\[[^\]]+\]\(command:([\w.]+)(?:\?([^)]*))?\)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ command: m[1] ?? '', args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : [] }));
}

/** Resolves when `predicate` holds for the open tabs (checked now and on every tab change). */
function whenTabs(predicate: (tabs: readonly vscode.Tab[]) => boolean): Promise<void> {
  const all = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  if (predicate(all())) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (predicate(all())) {
        listener.dispose();
        resolve();
      }
    });
  });
}

/** Closes every editor without prompting to save the untitled exercises the tests opened. */
async function closeEverything(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isUntitled && document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function activeText(): string {
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor, 'no active text editor');
  return editor.document.getText();
}

describe('CoW Lab tutorial', () => {
  before(async () => {
    await extension().activate();
  });

  afterEach(closeEverything);

  it('contributes a 6–8 step walkthrough, each step with one button, media and completion events', async () => {
    const steps = walkthroughSteps();
    assert.ok(steps.length >= 6 && steps.length <= 8, `${steps.length} steps`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const links = buttons(step);
      assert.equal(links.length, 1, `step ${step.id} has ${links.length} buttons`);
      const [button] = links;
      assert.ok(button && registered.has(button.command), `step ${step.id}: ${button?.command} is not a registered command`);
      assert.ok((step.completionEvents ?? []).length > 0, `step ${step.id} never completes`);
      for (const event of step.completionEvents ?? []) {
        assert.match(event, /^(onCommand|onContext):\S/, `step ${step.id}: ${event}`);
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(registered.has(command), `step ${step.id} completes on ${command}, which is not registered`);
      }
      const media = step.media.svg ?? step.media.image ?? step.media.markdown;
      assert.ok(media, `step ${step.id} has no media`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, media));
    }
  });

  it('opens the walkthrough in the Welcome editor, and at a given step', async () => {
    // The extension API sees only the editor ("Welcome", for any walkthrough): that the page
    // shows our steps, and that they complete on their events, is checked by the UI tests
    // (test/ui/walkthrough.test.ts), which read the page itself.
    const welcome = (tabs: readonly vscode.Tab[]): boolean => tabs.some((t) => t.label === 'Welcome' && t.isActive);
    assert.equal(welcome(vscode.window.tabGroups.all.flatMap((g) => g.tabs)), false);
    const shown = whenTabs(welcome);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    await shown;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = whenTabs(welcome);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: WALKTHROUGH, step: `${WALKTHROUGH}#first-write` }, false);
    await again;
  });

  for (const step of walkthroughSteps()) {
    it(`step "${step.title}": its button works`, async () => {
      const button = buttons(step)[0];
      assert.ok(button);
      const result: unknown = await vscode.commands.executeCommand(button.command, ...button.args);
      const [sample, options] = button.args as [string | undefined, { quiz?: boolean } | undefined];
      switch (button.command) {
        case 'cowLab.openSample': {
          const document = vscode.window.activeTextEditor?.document;
          assert.ok(document, 'no editor opened');
          assert.equal(document.languageId, 'cow');
          if (options?.quiz) {
            assert.equal(document.isUntitled, true);
            assert.ok(document.getText().startsWith(`# CoW Lab quiz — ${sample}\n`));
            assert.match(document.getText(), /== \?$/m);
          } else {
            assert.ok(document.uri.path.endsWith(`/samples/${sample}`), document.uri.toString());
            assert.match(document.getText(), /^# /);
          }
          break;
        }
        case 'cowLab.verifyInTerminal': {
          const launched = result as { commandLine: string; terminal: vscode.Terminal } | undefined;
          assert.ok(launched, 'no terminal launched (is the extension host on Linux?)');
          assert.match(launched.commandLine, / verify '[^']*\/samples\/04-shell-runs-ls\.cow'$/);
          assert.equal(launched.terminal.name, 'CoW Lab: verify');
          launched.terminal.dispose();
          break;
        }
        default:
          assert.fail(`no check written for the button command ${button.command}`);
      }
    });
  }

  it('New Exercise opens the exercise of a seed in an untitled .cow document', async () => {
    await vscode.commands.executeCommand('cowLab.newExercise', { kind: 'predict', seed: 1 });
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'cow');
    assert.equal(vscode.window.activeTextEditor?.document.isUntitled, true);
    assert.equal(activeText(), createExercise('predict', 1).source);
    await vscode.commands.executeCommand('cowLab.newExercise', { kind: 'reverse', seed: 5 });
    assert.equal(activeText(), createExercise('reverse', 5).source);
  });

  it('Check My Answers grades a right and a wrong answer, and explains both', async () => {
    await vscode.commands.executeCommand('cowLab.newExercise', { kind: 'predict', seed: 1 });
    // Exercise 1, worked by hand (test/unit/tutorial/exercise.test.ts): frames 2, copies 0, frame 2.
    const result = (await vscode.commands.executeCommand('cowLab.checkExercise', { answers: ['2', '0', '7'] })) as {
      kind: string;
      graded: { correct: boolean; answerText: string; explanation: string }[];
      score: { asked: number; correct: number };
    };
    assert.equal(result.kind, 'questions');
    assert.deepEqual(result.graded.map((g) => g.correct), [true, true, false]);
    assert.equal(result.graded[2]?.answerText, '2');
    assert.match(result.graded[2]?.explanation ?? '', /copy_page_range/);
    assert.deepEqual([result.score.asked, result.score.correct], [3, 2]);
  });

  it('Check My Answers grades a reverse exercise by running it', async () => {
    const document = (await vscode.commands.executeCommand('cowLab.newExercise', { kind: 'reverse', seed: 5 })) as vscode.TextDocument;
    const unsolved = (await vscode.commands.executeCommand('cowLab.checkExercise')) as { solved: boolean };
    assert.equal(unsolved.solved, false);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(document.positionAt(document.getText().length), reverseSolution(5).split('\n').slice(2).join('\n')));
    const solved = (await vscode.commands.executeCommand('cowLab.checkExercise')) as { solved: boolean };
    assert.equal(solved.solved, true, document.getText());
  });

  it('fills in the comparison table for the open scenario', async () => {
    await vscode.commands.executeCommand('cowLab.openSample', '11-cow-mode.cow');
    const markdown = (await vscode.commands.executeCommand('cowLab.comparisonTable')) as string;
    // 11-cow-mode, worked by hand: cow copies 1 page in all; eager copies all 16 at fork.
    assert.match(markdown, /^\| Pages copied in all \| 1 page \(4 KiB\) \| 16 pages \(64 KiB\) \|$/m);
    assert.match(markdown, /^\| Most frames in use at once \| 17 \| 32 \|$/m);
  });
});
