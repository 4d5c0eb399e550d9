// Starts the `cow` debug adapter in this process, on a socket, and connects
// @vscode/debugadapter-testsupport's DebugClient to it: the protocol is exercised exactly as
// VS Code speaks it, without VS Code. Scenarios come from a map, not from files.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { CowDebugSession } from '../../../src/debug/adapter';

export interface Harness {
  readonly dc: DebugClient;
  readonly output: string[];
  close(): Promise<void>;
}

export async function startAdapter(files: Record<string, string>): Promise<Harness> {
  const server: Server = createServer((socket) => {
    const session = new CowDebugSession(async (program) => {
      const text = files[program];
      if (text === undefined) throw new Error(`no such file: ${program}`);
      return text;
    });
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dc = new DebugClient('node', 'unused', 'cow');
  await dc.start((server.address() as AddressInfo).port);
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
  return {
    dc,
    output,
    close: async () => {
      await dc.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** initialize → launch → (breakpoints set by `configure`) → configurationDone; resolves with the first stop. */
export async function launch(
  dc: DebugClient,
  args: { program: string; stopOnEntry?: boolean },
  configure: () => Promise<unknown> = async () => undefined,
): Promise<DebugProtocol.StoppedEvent> {
  await dc.initializeRequest({ adapterID: 'cow', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsVariablePaging: true });
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const launched = dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
  await dc.waitForEvent('initialized');
  await configure();
  await dc.configurationDoneRequest();
  await launched;
  return stopped;
}

/** The top frame of the focused thread: where the session stands. */
export async function where(dc: DebugClient, threadId: number): Promise<{ line: number; name: string; frameId: number }> {
  const trace = await dc.stackTraceRequest({ threadId });
  const top = trace.body.stackFrames[0] as DebugProtocol.StackFrame;
  return { line: top.line, name: top.name, frameId: top.id };
}

/** Resolves with the next stop after `action`. */
export async function stopAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await action();
  return stopped;
}

/** Variables of the scope named `name` (prefix match) in `frameId`. */
export async function scope(dc: DebugClient, frameId: number, name: string): Promise<DebugProtocol.Variable[]> {
  const scopes = await dc.scopesRequest({ frameId });
  const found = scopes.body.scopes.find((s) => s.name.startsWith(name));
  if (!found) throw new Error(`no scope ${name}: ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: found.variablesReference })).body.variables;
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable, start?: number, count?: number): Promise<DebugProtocol.Variable[]> {
  const args: DebugProtocol.VariablesArguments = { variablesReference: v.variablesReference, ...(start !== undefined ? { filter: 'indexed' as const, start, count: count ?? 0 } : {}) };
  return (await dc.variablesRequest(args)).body.variables;
}
