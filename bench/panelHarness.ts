// A stand-alone page that runs the panel's real front end (dist/webview.js, media/panel.css)
// outside VS Code, in a real browser: a stub acquireVsCodeApi records what the panel posts,
// and a handful of theme variables stand in for the ones VS Code injects. Used by the
// step-to-paint benchmark (bench/panelPaint.ts); the screenshots that judge the look come from
// the real workbench (test/ui/panel.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelSnapshot } from '../src/protocol/messages';

const root = join(__dirname, '..');

/** A few of VS Code's Dark Modern colours: enough for the panel to look like itself. */
const DARK: Readonly<Record<string, string>> = {
  'font-family': 'system-ui, sans-serif',
  'font-size': '13px',
  'editor-font-family': 'monospace',
  'editor-font-size': '13px',
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  'editor-background': '#1f1f1f',
  'panel-border': '#2b2b2b',
  focusBorder: '#0078d4',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'charts-blue': '#3794ff',
  'charts-orange': '#d18616',
  'editorWarning-foreground': '#cca700',
  'charts-green': '#89d185',
  'charts-purple': '#b180d7',
  'charts-red': '#f14c4c',
  'charts-yellow': '#cca700',
  'textLink-foreground': '#4daafc',
  'diffEditor-insertedTextBackground': 'rgba(156, 204, 44, 0.2)',
  'editorGutter-addedBackground': '#2ea043',
};

export function harnessHtml(snapshot: PanelSnapshot, width: number): string {
  const vars = Object.entries(DARK).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const css = readFileSync(join(root, 'media', 'panel.css'), 'utf8');
  const script = readFileSync(join(root, 'dist', 'webview.js'), 'utf8');
  const json = JSON.stringify(snapshot).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html style="${vars}"><head><meta charset="utf-8"><style>${css} body { width: ${width}px; }</style></head>
<body class="vscode-dark"><main id="cow-lab"></main>
<script type="application/json" id="cow-lab-snapshot">${json}</script>
<script>
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), setState: () => {}, getState: () => undefined });
</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>`;
}

/**
 * Runs in the page (a string, so this Node-side file needs no DOM types). Posts the message as
 * VS Code would and times: the render (JS), render + style + layout (forced at once, so no
 * waiting for a frame is counted), the lines drawn in the next animation frame (the callbacks
 * between one registered before the message and one after), and when the next frame after
 * that has been painted (frame-aligned: includes waiting for the compositor's next frame).
 */
export const PAINT_TIMER = `new Promise((resolve) => {
  let frameStart = 0;
  requestAnimationFrame(() => { frameStart = performance.now(); });
  const start = performance.now();
  window.dispatchEvent(new MessageEvent('message', { data: MESSAGE }));
  const js = performance.now() - start;
  document.body.getBoundingClientRect();
  const layout = performance.now() - start;
  requestAnimationFrame(() => {
    const links = performance.now() - frameStart;
    requestAnimationFrame(() => resolve({ js, layout, links, painted: performance.now() - start }));
  });
})`;
