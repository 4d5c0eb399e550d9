// The `cow` debugger inside a real VS Code (extension host, real debug service): F5 on a .cow
// editor with no launch.json, a breakpoint set through the API stops there, Variables (scopes and
// variables requests as the Variables view sends them), a watch expression, Step Back through
// the debug command, and the panel following the session. What a person sees of it is in
// test/ui/debug.test.ts.
//
// The scenario, worked by hand (the model of do_wp_page in the samples): shell maps 4 pages and
// writes two, forks; every page is then mapped twice, write-protected. The child's write to
// heap[1] copies that one page: copies 0 → 1, the child's entry private and writable.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelInspection } from '../../src/panel/inspection';
import { activated } from './scenarioHelpers';

const SCENARIO = [
  'process shell', //                   1
  'shell: map heap 4 private', //       2
  'shell: write heap[0] "ls -l"', //    3
  'shell: write heap[1] "parent"', //   4
  'shell: fork child', //               5
  '', //                                6
  'child: write heap[1] "mine"', //     7
  'expect child heap[1] private', //    8
  'expect copies == 1', //              9
].join('\n');

interface Position {
  readonly position: number;
  readonly line: number;
  readonly stepCount: number;
}

/** Resolves with the next `cowLab.position` event (sent after every stop) of a cow session. */
function nextStop(): Promise<{ session: vscode.DebugSession; body: Position }> {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== 'cow' || e.event !== 'cowLab.position') return;
      sub.dispose();
      resolve({ session: e.session, body: e.body as Position });
    });
  });
}

/** Resolves once the panel shows `position` (it follows the session's events asynchronously); mocha's timeout ends a wait that never succeeds. */
async function panelAt(position: number): Promise<PanelInspection> {
  for (;;) {
    const state = await vscode.commands.executeCommand<PanelInspection>('_cowLab.panelState');
    if (state.open && state.position === position) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function variables(session: vscode.DebugSession, reference: number, start?: number, count?: number): Promise<{ name: string; value: string; variablesReference: number; indexedVariables?: number }[]> {
  const args = start === undefined ? { variablesReference: reference } : { variablesReference: reference, filter: 'indexed', start, count };
  const reply = (await session.customRequest('variables', args)) as { variables: { name: string; value: string; variablesReference: number; indexedVariables?: number }[] };
  return reply.variables;
}

describe('cow debugger in VS Code', function () {
  // Starting a debug session activates, saves and opens the panel: slow on a loaded machine.
  this.timeout(240_000);
  let uri: vscode.Uri;
  let session: vscode.DebugSession;

  before(async () => {
    await activated();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner must open a workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, 'debug-fork.cow');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SCENARIO));
  });

  after(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('F5 on a .cow editor with no launch.json stops at a breakpoint', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // A breakpoint on the blank line 6 lands on the child's write (line 7).
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(5, 0)))]);
    const stopped = nextStop();
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const stop = await stopped;
    session = stop.session;
    assert.equal(session.type, 'cow');
    assert.equal(session.configuration.program, uri.fsPath, 'the configuration provider filled in the active scenario');
    assert.equal(stop.body.line, 7);
    assert.equal(stop.body.position, 5);
    const bp = vscode.debug.breakpoints[0] as vscode.SourceBreakpoint;
    assert.equal(bp.location.range.start.line, 5, 'VS Code keeps the breakpoint where it was clicked');
  });

  it('lists the processes as threads and shows regions and pages in Variables', async () => {
    const threads = ((await session.customRequest('threads')) as { threads: { id: number; name: string }[] }).threads;
    assert.deepEqual(threads.map((t) => t.name.split(' ')[0]).sort(), ['child', 'shell']);
    const child = threads.find((t) => t.name.startsWith('child')) as { id: number };
    const trace = (await session.customRequest('stackTrace', { threadId: child.id })) as { stackFrames: { id: number; line: number; name: string }[] };
    assert.deepEqual(trace.stackFrames.map((f) => f.line), [7, 5, 1], 'next statement, the fork that made the child, the shell');
    const scopes = ((await session.customRequest('scopes', { frameId: trace.stackFrames[0]?.id })) as { scopes: { name: string; variablesReference: number }[] }).scopes;
    assert.deepEqual(scopes.map((s) => s.name), ['Process child', 'Frames', 'Statistics', 'Step']);
    const process = await variables(session, scopes[0]?.variablesReference ?? 0);
    const heap = process.find((v) => v.name === 'heap');
    assert.equal(heap?.indexedVariables, 4);
    const pages = await variables(session, heap?.variablesReference ?? 0, 0, 4);
    assert.match(pages[1]?.value ?? '', /mapped 2× · read-only, copy-on-write · "parent"/);
    assert.equal(pages[2]?.value, 'not present', 'heap[2] was never touched');
  });

  it('evaluates a watch expression (an expect claim) at the current step', async () => {
    const frameId = ((await session.customRequest('stackTrace', { threadId: 3 })) as { stackFrames: { id: number }[] }).stackFrames[0]?.id;
    const watch = async (expression: string): Promise<string> => ((await session.customRequest('evaluate', { expression, context: 'watch', frameId })) as { result: string }).result;
    assert.match(await watch('child heap[1] shared with shell'), /^true/);
    assert.equal(await watch('copies'), '0');
  });

  it('steps over the write, then Step Back returns to it, and the panel follows', async () => {
    await panelAt(5);
    let stopped = nextStop();
    await vscode.commands.executeCommand('workbench.action.debug.stepOver');
    assert.equal((await stopped).body.line, 8);
    await panelAt(6);
    const ev = async (expression: string): Promise<string> => ((await session.customRequest('evaluate', { expression, context: 'watch' })) as { result: string }).result;
    assert.equal(await ev('copies'), '1');
    stopped = nextStop();
    await vscode.commands.executeCommand('workbench.action.debug.stepBack');
    const back = await stopped;
    assert.equal(back.body.line, 7);
    assert.equal(await ev('copies'), '0');
    const panel = await panelAt(5);
    assert.equal(panel.highlightedLine, 7, 'the panel marks the line the debugger stopped on');
  });

  it('moving the panel moves the session', async () => {
    const stopped = nextStop();
    await vscode.commands.executeCommand('cowLab.firstStep');
    const moved = await stopped;
    assert.equal(moved.body.position, 0);
    assert.equal(moved.body.line, 1);
  });
});
