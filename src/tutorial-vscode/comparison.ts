// cowLab.comparisonTable: the article's comparison of copy-on-write with a full copy, filled with
// one scenario's own figures (run once in each mode), in one tab titled with the scenario's name.
// It acts on the learner's copy of the sample a walkthrough link names (opened if needed), else
// on the active .cow editor. A webview with no script: the table is static text, escaped.
import * as vscode from 'vscode';
import { escapeHtml as escape, webviewPage } from '../util/webviewPage';
import { makeNonce } from '../panel/html';
import { compareModes, comparisonMarkdown, comparisonTable, type ModeComparison } from '../tutorial';
import type { LearnerCopies } from './copies';

export const COMPARISON_TABLE = 'cowLab.comparisonTable';
const VIEW_TYPE = 'cowLab.comparisonTable';

export interface ComparisonShown {
  /** The table as Markdown (what the tests read). */
  readonly markdown: string;
  /** The tab's title. */
  readonly title: string;
}

export function registerComparison(context: vscode.ExtensionContext, copies: LearnerCopies, onShown: (document: vscode.Uri) => void): void {
  const table = new ComparisonView();
  context.subscriptions.push(
    table,
    vscode.commands.registerCommand(COMPARISON_TABLE, async (sample?: unknown) => {
      const shown = await comparison(table, copies, sample);
      if (shown) onShown(shown.document);
      return shown?.result;
    }),
  );
}

async function comparison(view: ComparisonView, copies: LearnerCopies, sample: unknown): Promise<{ result: ComparisonShown; document: vscode.Uri } | undefined> {
  const document = typeof sample === 'string' ? await copies.open(sample, 'sample') : activeScenario();
  if (!document) {
    void vscode.window.showInformationMessage('Open a .cow scenario first: the table compares its two runs, copy-on-write and full copy.');
    return undefined;
  }
  const compared = compareModes(document.getText());
  if (!compared.ok) {
    void vscode.window.showWarningMessage('This scenario has errors; fix them to compare its runs.');
    return undefined;
  }
  const name = scenarioName(document);
  const title = `Copy-on-write vs full copy: ${name}`;
  view.show(title, name, compared);
  return { result: { markdown: comparisonMarkdown(name, compared), title }, document: document.uri };
}

/** The file's name, or "this scenario" for an untitled document. */
function scenarioName(document: vscode.TextDocument): string {
  return document.isUntitled ? 'this scenario' : (document.uri.path.split('/').pop() ?? 'this scenario');
}

function activeScenario(): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'cow' ? document : undefined;
}

/** The one tab the table is shown in: reused (and retitled) for the next scenario. */
class ComparisonView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(title: string, name: string, compared: Extract<ModeComparison, { ok: true }>): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: false,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(undefined, true);
    }
    this.panel.title = title;
    this.panel.webview.html = tableHtml(name, compared);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function tableHtml(name: string, compared: Extract<ModeComparison, { ok: true }>): string {
  const table = comparisonTable(compared);
  const nonce = makeNonce((n) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
  const head = table.columns.map((c) => `<th scope="col">${escape(c)}</th>`).join('');
  const rows = table.rows.map(([label, cow, eager]) => `<tr><th scope="row">${escape(label)}</th><td>${escape(cow)}</td><td>${escape(eager)}</td></tr>`).join('\n');
  return webviewPage({
    csp: `default-src 'none'; style-src 'nonce-${nonce}';`,
    title: `Copy-on-write vs full copy: ${name}`,
    head: `<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em; }
  table { border-collapse: collapse; margin: 1em 0; }
  th, td { border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, #8888)); padding: 0.35em 0.7em; text-align: left; vertical-align: top; }
  thead th { background: var(--vscode-editor-inactiveSelectionBackground); }
  tbody th { font-weight: 600; }
</style>`,
    body: `<h1>Copy-on-write vs full copy: ${escape(name)}</h1>
<table data-testid="comparison-table">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p data-testid="comparison-verdict">${escape(table.verdict)}</p>`,
  });
}
