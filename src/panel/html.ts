// The panel's HTML: a strict Content-Security-Policy (nothing by default; our stylesheet and
// our one script by nonce), and the first snapshot embedded as JSON so the panel paints its
// state at once instead of after a round trip. Pure string building: tested under mocha.
import type { PanelSnapshot } from '../protocol/messages';
import { escapeHtml as attr, webviewPage } from '../util/webviewPage';

export interface PanelHtmlInput {
  /** webview.cspSource: the origin the webview serves local resources from. */
  readonly cspSource: string;
  /** A fresh nonce per load (crypto): only the script carrying it runs. */
  readonly nonce: string;
  /** asWebviewUri of dist/webview.js and media/panel.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /**
   * asWebviewUri of dist/codicons/codicon.css (@vscode/codicons): the buttons' icons. Its font
   * comes from the same origin, the only one `font-src` allows. The element id is the one
   * @vscode-elements' icon component looks for.
   */
  readonly codiconUri?: string;
  readonly snapshot: PanelSnapshot;
}

/** Base64 of 16 random bytes from the platform's CSPRNG. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  return btoa(String.fromCharCode(...randomBytes(16)));
}

/**
 * The policy: `default-src 'none'` denies everything not listed — no network, no frames, no
 * inline script, no eval. Styles only from the extension (VS Code's own default styles are
 * inserted ahead of this policy; Lit's constructable stylesheets are not inline styles).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** JSON that is safe inside a <script type="application/json"> element. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function panelHtml(input: PanelHtmlInput): string {
  const { cspSource, nonce, scriptUri, styleUri, codiconUri, snapshot } = input;
  const title = snapshot.scenario ? `CoW Lab: ${snapshot.scenario.fileName}` : 'CoW Lab';
  return webviewPage({
    csp: contentSecurityPolicy(cspSource, nonce),
    title,
    head: `${codiconUri ? `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(codiconUri)}">\n` : ''}<link rel="stylesheet" href="${attr(styleUri)}">`,
    body: `<main id="cow-lab" aria-label="CoW Lab"></main>
<script type="application/json" id="cow-lab-snapshot">${embedJson(snapshot)}</script>
<script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>`,
  });
}
