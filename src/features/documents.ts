// The analysis service (src/analysis/service.ts) as the extension uses it: a worker (chosen by
// the composition root) that parses, checks and runs each version of a scenario once; the
// settings it reads; documents forgotten when they close. Every provider asks it, so typing runs
// nothing on the extension host's thread but the translation to VS Code's types.
import * as vscode from 'vscode';
import type { Answers, Query, QueryKind } from '../analysis/queries';
import { AnalysisService, type AnalysisDocument } from '../analysis/service';
import type { WorkerEndpoint } from '../analysis/messages';
import { RUN_AS_YOU_TYPE_BUDGET } from './model/runBudget';

export const COW_LANGUAGE = 'cow';

/** Which documents the features serve: `.cow` files, saved or not. */
export const COW_SELECTOR: vscode.DocumentSelector = [{ language: COW_LANGUAGE }];

/** The service's view of a VS Code document (its text is read only when a version is new). */
export function analysisDocument(document: vscode.TextDocument): AnalysisDocument {
  return {
    uri: document.uri.toString(),
    version: document.version,
    fileName: document.uri.path.split('/').pop() ?? 'scenario.cow',
    getText: () => document.getText(),
    instance: document,
  };
}

/**
 * The service every feature reads. `startWorker` is the composition root's choice: a Node worker
 * thread in the desktop and remote builds (src/analysis/nodeWorker.ts), the host's own thread in
 * the browser build (src/analysis/inline.ts, one task per phase).
 */
export function createAnalysisService(context: vscode.ExtensionContext, log: Pick<vscode.LogOutputChannel, 'warn'>, startWorker: () => WorkerEndpoint): AnalysisService {
  const settings = (uri: string) => ({
    runExpectations: vscode.workspace.getConfiguration('cowLab.diagnostics', vscode.Uri.parse(uri)).get<boolean>('runExpectations', true),
    runBudget: RUN_AS_YOU_TYPE_BUDGET,
  });
  const service = new AnalysisService(startWorker, settings, (message) => log.warn(`analysis: ${message}`));
  context.subscriptions.push(service, vscode.workspace.onDidCloseTextDocument((d) => service.forget(d.uri.toString(), d)));
  return service;
}

/** Asks the analysis of the document's current version; undefined if it changed meanwhile. */
export function ask<K extends QueryKind>(service: AnalysisService, document: vscode.TextDocument, query: Extract<Query, { readonly kind: K }>): Promise<Answers[K] | undefined> {
  return service.query(analysisDocument(document), query);
}
