// What the extension host and the analysis worker say to each other. Plain data only (it crosses
// a thread by structured clone), the same for a Node worker_threads Worker and a browser Worker.
import type { EditorDiagnostic } from '../features/model';
import type { Answers, Query, QueryKind } from './queries';

export interface AnalysisRequest {
  readonly type: 'analyse';
  readonly id: number;
  readonly source: string;
  /** Run the scenario (within `runBudget` page operations) and report failed expectations. */
  readonly run: boolean;
  readonly runBudget: number;
}

/** A question about the analysis of request `of` (answered after it, in order). */
export interface QueryRequest {
  readonly type: 'query';
  readonly id: number;
  readonly of: number;
  readonly query: Query;
}

/**
 * Drop request `id` if it waits, and forget its analysis (the version is superseded). One that
 * is running cannot be interrupted: the host ends the worker instead.
 */
export interface CancelRequest {
  readonly type: 'cancel';
  readonly id: number;
}

export type ToWorker = AnalysisRequest | QueryRequest | CancelRequest;

export type FromWorker =
  /** Parsed and checked (the analysis stays in the worker; ask it questions). */
  | { readonly type: 'analysed'; readonly id: number; readonly runnable: boolean }
  /** Every diagnostic, the run's included; `ran`: the interpreter ran the scenario. */
  | { readonly type: 'diagnosed'; readonly id: number; readonly diagnostics: readonly EditorDiagnostic[]; readonly ran: boolean }
  | { readonly type: 'answered'; readonly id: number; readonly answer: Answers[QueryKind] }
  /** Dropped on a cancel, or asked about an analysis that was forgotten. */
  | { readonly type: 'cancelled'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** One end of a worker, whichever kind: what AnalysisService needs of it. */
export interface WorkerEndpoint {
  post(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** The worker died (the service starts another). */
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}
