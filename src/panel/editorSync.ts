// The editor's half of the panel: the current statement highlighted (the debugger's
// current-line colour, plus "step 5 of 26 ▸" before it), the statement revealed when the
// learner steps from the panel, and the learner's cursor moving the panel.
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';

export interface StepMark {
  readonly uri: vscode.Uri;
  /** 1-based lines, inclusive. */
  readonly line: number;
  readonly endLine: number;
  readonly label: string;
}

export class EditorSync extends Disposable {
  private readonly decoration = this._register(vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
    // High-contrast themes define contrastActiveBorder; elsewhere it is transparent.
    outlineColor: new vscode.ThemeColor('contrastActiveBorder'),
    outlineStyle: 'dashed',
    outlineWidth: '1px',
  }));
  /** "step 5 of 26 ▸" before the statement (its own type: it marks one position, not whole lines). */
  private readonly label = this._register(vscode.window.createTextEditorDecorationType({}));
  private mark: StepMark | null = null;
  /** The selection select() set, so that its change event is not taken for the learner's move. */
  private ownSelection: { readonly uri: string; readonly selection: vscode.Selection } | undefined;

  constructor(onCursorLine: (uri: vscode.Uri, line: number) => void) {
    super();
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paint()));
    this._register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        // Every move of the cursor follows: keys, a click, Go to Line and Go to Symbol (which VS Code
        // reports as kind Command, like any selection set through the API). Only the selection
        // select() just made for the panel's own "line 14" link is not a request to move.
        const own = this.ownSelection;
        this.ownSelection = undefined;
        const first = e.selections[0];
        if (own && first && e.textEditor.document.uri.toString() === own.uri && first.isEqual(own.selection)) return;
        if (!this.mark || e.textEditor.document.uri.toString() !== this.mark.uri.toString()) return;
        if (first) onCursorLine(e.textEditor.document.uri, first.active.line + 1);
      }),
    );
  }

  /** The line the highlight is on (1-based), for tests; null when nothing is highlighted. */
  get markedLine(): number | null {
    return this.mark?.line ?? null;
  }

  show(mark: StepMark | null): void {
    this.mark = mark;
    this.paint();
  }

  /** Scrolls editors showing the statement so it is in view, without moving the cursor. */
  reveal(): void {
    const mark = this.mark;
    if (!mark) return;
    for (const editor of this.editorsFor(mark.uri)) editor.revealRange(this.range(editor.document, mark), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Shows the document with the statement selected (the panel's "line 14" link). */
  async select(): Promise<void> {
    const mark = this.mark;
    if (!mark) return;
    const document = await vscode.workspace.openTextDocument(mark.uri);
    const existing = this.editorsFor(mark.uri)[0];
    const editor = await vscode.window.showTextDocument(document, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const range = this.range(document, mark);
    const selection = new vscode.Selection(range.start, range.end);
    if (!editor.selection.isEqual(selection)) {
      this.ownSelection = { uri: document.uri.toString(), selection };
      editor.selection = selection;
    }
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const mark = this.mark;
      if (!mark || editor.document.uri.toString() !== mark.uri.toString()) {
        editor.setDecorations(this.decoration, []);
        editor.setDecorations(this.label, []);
        continue;
      }
      // The label goes before the statement's first line, not after it: text after a long line
      // runs under the minimap (or off screen), and the API cannot tell how wide the editor is.
      // Before the line it is always in view with the statement, and it moves the code over
      // rather than covering any of it.
      const range = this.range(editor.document, mark);
      editor.setDecorations(this.decoration, [{ range }]);
      editor.setDecorations(this.label, [
        {
          range: new vscode.Range(range.start, range.start),
          renderOptions: { before: { contentText: `${mark.label} ▸`, color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic', margin: '0 0.6em 0 0' } },
        },
      ]);
    }
  }

  private range(document: vscode.TextDocument, mark: StepMark): vscode.Range {
    const last = Math.max(0, document.lineCount - 1);
    const start = Math.min(mark.line - 1, last);
    const end = Math.min(mark.endLine - 1, last);
    return new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  }

  private editorsFor(uri: vscode.Uri): readonly vscode.TextEditor[] {
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri.toString());
  }
}
