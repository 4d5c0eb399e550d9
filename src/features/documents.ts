// The analysis of each open scenario, computed once per document version and shared by every
// provider (hover, completion, navigation… all ask about the same text).
import type * as vscode from 'vscode';
import { analyze, type Analysis } from '../language';

export const COW_LANGUAGE = 'cow';

/** Which documents the features serve: `.cow` files, saved or not. */
export const COW_SELECTOR: vscode.DocumentSelector = [{ language: COW_LANGUAGE }];

export interface AnalysedDocument {
  readonly source: string;
  readonly analysis: Analysis;
}

/**
 * Keyed by URI, but a hit needs the same document object too: an untitled document reuses the URI
 * (untitled:Untitled-1) and version 1 of one closed a moment before, whose close event can arrive
 * after the new one opened.
 */
export class ScenarioAnalyses {
  private readonly cache = new Map<string, { readonly document: vscode.TextDocument; readonly version: number; readonly analysed: AnalysedDocument }>();

  get(document: vscode.TextDocument): AnalysedDocument {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.document === document && cached.version === document.version) return cached.analysed;
    const source = document.getText();
    const analysed = { source, analysis: analyze(source) };
    this.cache.set(key, { document, version: document.version, analysed });
    return analysed;
  }

  forget(document: vscode.TextDocument): void {
    if (this.cache.get(document.uri.toString())?.document === document) this.cache.delete(document.uri.toString());
  }
}
