// The CoW Lab webview panel: creates (or adopts, after a reload) the WebviewPanel, gives it its
// HTML with a fresh nonce, and passes messages both ways — validated on the way in.
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, type HostMessage, type PanelSnapshot, type WebviewMessage } from '../protocol/messages';
import { Disposable } from '../util/dispose';
import { makeNonce, panelHtml } from './html';
import { validateWebviewMessage } from './validate';

export class CowLabPanel extends Disposable {
  private readonly messages = this._register(new vscode.EventEmitter<WebviewMessage>());
  /** A message the webview sent that the protocol does not allow (already logged). */
  private readonly refused = this._register(new vscode.EventEmitter<string>());
  private readonly disposed = this._register(new vscode.EventEmitter<void>());
  private alive = true;

  readonly onMessage = this.messages.event;
  readonly onRefused = this.refused.event;
  readonly onDidDispose = this.disposed.event;

  /** Opens a new panel beside the active editor, keeping the focus in the editor. */
  static create(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): CowLabPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'CoW Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, CowLabPanel.options(extensionUri));
    return new CowLabPanel(panel, extensionUri, log);
  }

  /** Adopts a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): CowLabPanel {
    panel.webview.options = CowLabPanel.options(extensionUri);
    return new CowLabPanel(panel, extensionUri, log);
  }

  /** Scripts on; local resources only from dist/ (webview.js) and media/ (panel.css). */
  static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      enableFindWidget: true,
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this._register(
      panel.onDidDispose(() => {
        this.alive = false;
        this.disposed.fire();
        this.dispose();
      }),
    );
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** (Re)loads the webview with `snapshot` as its first state. */
  load(snapshot: PanelSnapshot): void {
    const webview = this.panel.webview;
    this.panel.title = snapshot.scenario ? `CoW Lab: ${snapshot.scenario.fileName}` : 'CoW Lab';
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => globalThis.crypto.getRandomValues(new Uint8Array(n))), // Web Crypto: a global in Node ≥ 19 and in browsers
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'codicons', 'codicon.css')).toString(),
      snapshot,
    });
  }

  setTitle(fileName: string | null): void {
    this.panel.title = fileName ? `CoW Lab: ${fileName}` : 'CoW Lab';
  }

  post(message: HostMessage): void {
    if (!this.alive) return;
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.warn(`panel: could not post ${message.type}: ${String(e)}`));
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Everything the webview sends comes through here. */
  receiveRaw(raw: unknown): void {
    this.receive(raw);
  }

  private receive(raw: unknown): void {
    const checked = validateWebviewMessage(raw);
    if (!checked.ok) {
      // Untrusted input: ignore it, say so in the log, never throw.
      this.log.warn(`panel: ignored a message from the webview: ${checked.reason}`);
      this.refused.fire(checked.reason);
      return;
    }
    this.messages.fire(checked.value);
  }

  override dispose(): void {
    if (this.alive) {
      this.alive = false;
      this.panel.dispose();
    }
    super.dispose();
  }
}
