// A worker endpoint that serves analyses on the calling thread (the same loop as the worker,
// workerMain.ts, one task per phase): for unit tests, and the fallback when no worker can start.
import type { FromWorker, ToWorker, WorkerEndpoint } from './messages';
import { serveAnalyses } from './workerMain';

export function inlineEndpoint(): WorkerEndpoint {
  let toWorker: ((m: ToWorker) => void) | undefined;
  const listeners: ((m: FromWorker) => void)[] = [];
  let ended = false;
  serveAnalyses({
    onMessage: (listener) => (toWorker = listener),
    // Replies arrive as a later task, as from a thread.
    post: (m) => void setTimeout(() => ended || listeners.forEach((l) => l(m)), 0),
  });
  return {
    post: (m) => {
      if (!ended) setTimeout(() => toWorker?.(m), 0);
    },
    onMessage: (listener) => listeners.push(listener),
    onError: () => undefined,
    terminate: () => {
      ended = true;
    },
  };
}
