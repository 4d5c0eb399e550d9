// The analysis worker's loop, for any worker environment. Requests are served one at a time in
// arrival order; an analysis runs in two phases (parse and check, then the run for the
// diagnostics), each its own task, so a cancel that arrived meanwhile is read first. The analysis
// stays here, keyed by its request, and queries about it are answered here.
import type { Analysis } from '../language';
import { analyseSource, diagnose } from './compute';
import type { AnalysisRequest, FromWorker, QueryRequest, ToWorker } from './messages';
import { answer } from './queries';

export interface WorkerSide {
  onMessage(listener: (message: ToWorker) => void): void;
  post(message: FromWorker): void;
}

interface Job {
  readonly request: AnalysisRequest | QueryRequest;
  /** An analysis whose phase one is done. */
  analysed?: boolean;
}

export function serveAnalyses(side: WorkerSide): void {
  const jobs: Job[] = [];
  const analyses = new Map<number, { readonly source: string; readonly analysis: Analysis }>();
  let scheduled = false;
  const step = () => {
    scheduled = false;
    const job = jobs[0];
    if (!job) return;
    const { request } = job;
    try {
      if (request.type === 'query') {
        jobs.shift();
        const known = analyses.get(request.of);
        if (known) side.post({ type: 'answered', id: request.id, answer: answer(known.source, known.analysis, request.query) });
        else side.post({ type: 'cancelled', id: request.id });
      } else if (!job.analysed) {
        const analysis = analyseSource(request.source);
        analyses.set(request.id, { source: request.source, analysis });
        job.analysed = true;
        side.post({ type: 'analysed', id: request.id, runnable: analysis.runnable });
      } else {
        jobs.shift();
        const known = analyses.get(request.id);
        if (known) {
          const { diagnostics, ran } = diagnose(known.source, known.analysis, request.run, request.runBudget);
          side.post({ type: 'diagnosed', id: request.id, diagnostics, ran });
        }
      }
    } catch (e) {
      jobs.shift();
      side.post({ type: 'failed', id: request.id, message: e instanceof Error ? e.message : String(e) });
    }
    schedule();
  };
  const schedule = () => {
    if (scheduled || jobs.length === 0) return;
    scheduled = true;
    setTimeout(step, 0);
  };
  side.onMessage((message) => {
    if (message.type === 'cancel') {
      analyses.delete(message.id);
      const at = jobs.findIndex((j) => j.request.id === message.id);
      if (at >= 0) {
        jobs.splice(at, 1);
        side.post({ type: 'cancelled', id: message.id });
      }
      return;
    }
    jobs.push({ request: message });
    schedule();
  });
}
