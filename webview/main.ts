// Entry point of dist/webview.js (an IIFE loaded with the panel's nonce). Reads the first
// snapshot the host put in the HTML, starts the app, and wires it to the VS Code webview API.
// Everything else lives in app.ts, which the unit tests drive under jsdom.
import type { HostMessage, PanelSnapshot, PersistedPanelState, WebviewMessage } from '../src/protocol/messages';
import { PanelApp } from './app';
import './elements';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  setState(state: PersistedPanelState): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

const EMPTY: PanelSnapshot = { document: null, scenario: null, step: null, problems: null, compare: false };

function readSnapshot(): PanelSnapshot {
  const text = document.getElementById('cow-lab-snapshot')?.textContent;
  if (!text) return EMPTY;
  try {
    return JSON.parse(text) as PanelSnapshot;
  } catch {
    return EMPTY;
  }
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('cow-lab');
  if (!root) return;
  const port = { post: (m: WebviewMessage) => vscode.postMessage(m), saveState: (s: PersistedPanelState) => vscode.setState(s) };
  // A CSP violation here is a bug in CoW Lab: tell the host, which logs it (and the tests look).
  document.addEventListener('securitypolicyviolation', (e) => {
    port.post({ type: 'problem', message: `CSP blocked ${e.effectiveDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`.slice(0, 500) });
  });
  const app = new PanelApp(document, root, port, readSnapshot());
  window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    try {
      app.receive(event.data);
    } catch (e) {
      port.post({ type: 'problem', message: `render error: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500) });
    }
  });
  window.addEventListener('resize', () => app.redrawLinks());
  port.post({ type: 'ready' });
}

start();
