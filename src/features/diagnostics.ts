// Keeps the Problems view in step with every open scenario: parser and checker diagnostics, and
// the failed expectations of a run (model/diagnostics.ts), all from the analysis service (a
// worker). At once on open and save, debounced while typing; a version that changed before its
// analysis came back is skipped (the newer one follows).
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { Disposable, toDisposable } from '../util/dispose';
import { toVsRange } from './convert';
import { analysisDocument, COW_LANGUAGE } from './documents';
import type { EditorDiagnostic } from './model';

/** Quiet time after the last keystroke before a scenario is checked and run again. */
export const TYPING_DEBOUNCE_MS = 250;

const SEVERITY: Readonly<Record<EditorDiagnostic['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class ScenarioDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection(COW_LANGUAGE));
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly analyses: AnalysisService) {
    super();
    this._register(toDisposable(() => {
      this.pending.forEach((timer) => clearTimeout(timer));
      this.pending.clear();
    }));
    [
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.refreshSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cowLab.diagnostics')) vscode.workspace.textDocuments.forEach((d) => this.refresh(d));
      }),
    ].forEach((s) => this._register(s));
    // The scenarios already open (the one whose opening activated the extension among them) are
    // checked in the next task, not during activate(): that starts the analysis worker, which the
    // editor's first paint does not wait for.
    const opened = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => this.refresh(d)), 0);
    this._register(toDisposable(() => clearTimeout(opened)));
  }

  /** Checks (and runs) the document now; the Problems view updates when the analysis is back. */
  refresh(document: vscode.TextDocument): void {
    if (document.languageId !== COW_LANGUAGE) return;
    this.cancel(document.uri);
    const version = document.version;
    void this.analyses.diagnostics(analysisDocument(document)).then((found) => {
      if (!found || this.isDisposed || document.isClosed || document.version !== version) return;
      this.collection.set(document.uri, found.map(toVsDiagnostic));
    });
  }

  private refreshSoon(document: vscode.TextDocument): void {
    if (document.languageId !== COW_LANGUAGE) return;
    this.cancel(document.uri);
    const key = document.uri.toString();
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!document.isClosed) this.refresh(document);
      }, TYPING_DEBOUNCE_MS),
    );
  }

  private clear(document: vscode.TextDocument): void {
    // A closed untitled document's close event can come after a new one with the same URI opened:
    // that one keeps (gets) its own diagnostics. (The analysis service forgets the closed one.)
    const successor = vscode.workspace.textDocuments.find((d) => d !== document && !d.isClosed && d.uri.toString() === document.uri.toString());
    if (successor) return this.refresh(successor);
    this.cancel(document.uri);
    this.collection.delete(document.uri);
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(key);
  }
}

function toVsDiagnostic(d: EditorDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(d.range), d.message, SEVERITY[d.severity]);
  diagnostic.source = d.source === 'run' ? 'cow-lab run' : 'cow-lab';
  diagnostic.code = d.code;
  return diagnostic;
}
