// The panel's HTML: a strict CSP with the load's nonce, and a first snapshot that cannot break
// out of its script element whatever a scenario's text contains.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { contentSecurityPolicy, embedJson, makeNonce, panelHtml } from '../../../src/panel/html';
import type { PanelSnapshot } from '../../../src/protocol/messages';

const snapshot: PanelSnapshot = { document: 'file:///a.cow', scenario: null, step: null, problems: { fileName: '</script><script>alert(1)</script>.cow', problems: [], showingLastGood: false }, compare: false };

describe('panel: HTML and Content-Security-Policy', () => {
  it('denies everything by default and allows only our script by nonce and our styles by origin', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123==');
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d]));
    assert.equal(directives.get('default-src'), "default-src 'none'");
    assert.equal(directives.get('script-src'), "script-src 'nonce-abc123=='");
    assert.equal(directives.get('style-src'), 'style-src https://file+.vscode-resource.vscode-cdn.net');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('makes a fresh 128-bit nonce each time', () => {
    let counter = 0;
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => counter++ % 256);
    const a = makeNonce(bytes);
    const b = makeNonce(bytes);
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });

  it('puts the nonce on the one script and the snapshot in an inert JSON block', () => {
    const html = panelHtml({ cspSource: 'vscode-webview://x', nonce: 'N0nce', scriptUri: 'vscode-webview://x/dist/webview.js', styleUri: 'vscode-webview://x/media/panel.css', snapshot });
    const doc = new JSDOM(html).window.document;
    const scripts = [...doc.querySelectorAll('script')];
    assert.deepEqual(scripts.map((s) => [s.getAttribute('type'), s.getAttribute('nonce'), s.getAttribute('src')]), [
      ['application/json', null, null],
      [null, 'N0nce', 'vscode-webview://x/dist/webview.js'],
    ]);
    assert.deepEqual(JSON.parse(scripts[0]?.textContent ?? ''), snapshot, 'the snapshot survives the escaping intact');
    assert.match(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '', /script-src 'nonce-N0nce'/);
  });

  it('links the codicon stylesheet from the extension, and allows fonts only from the webview\'s own origin', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123==');
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d]));
    assert.equal(directives.get('font-src'), 'font-src https://file+.vscode-resource.vscode-cdn.net');
    const html = panelHtml({ cspSource: 'vscode-webview://x', nonce: 'N', scriptUri: 'vscode-webview://x/dist/webview.js', styleUri: 'vscode-webview://x/media/panel.css', codiconUri: 'vscode-webview://x/dist/codicons/codicon.css', snapshot });
    const link = new JSDOM(html).window.document.getElementById('vscode-codicon-stylesheet');
    assert.equal(link?.getAttribute('href'), 'vscode-webview://x/dist/codicons/codicon.css');
    assert.equal(link?.getAttribute('rel'), 'stylesheet');
  });

  it('escapes what could end the script element early', () => {
    assert.doesNotMatch(embedJson({ text: '</script><!--' }), /<|>/);
    assert.deepEqual(JSON.parse(embedJson({ text: '</script>\u2028&' })), { text: '</script>\u2028&' });
  });
});
