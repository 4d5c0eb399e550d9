// The analysis worker in the Node extension host: a worker_threads Worker running
// dist/analysisWorker.js. (A browser extension host gives AnalysisService a WorkerEndpoint over a
// Web Worker instead: the messages and the worker's loop, workerMain.ts, are the same.)
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerEndpoint } from './messages';

export function nodeWorkerEndpoint(script: string): WorkerEndpoint {
  const worker = new Worker(script);
  // The worker must not keep the extension host (or a benchmark) alive on its own.
  worker.unref();
  return {
    post: (message: ToWorker) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (m: FromWorker) => listener(m)),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => {
        if (code !== 0) listener(new Error(`the analysis worker exited with code ${code}`));
      });
    },
    terminate: () => void worker.terminate(),
  };
}

/**
 * Starts workers running `script`; after 20 starts (a worker that keeps dying: its script
 * missing, a crash on load) or one that cannot start at all, analyses run on the calling thread
 * (`onThread`: the inline endpoint, src/analysis/inline.ts, which the entry bundle loads lazily).
 */
export function nodeWorkers(script: string, warn: (message: string) => void, onThread: () => WorkerEndpoint): () => WorkerEndpoint {
  let failed = false;
  let starts = 0;
  return () => {
    if (++starts > 20) failed = true;
    if (!failed) {
      try {
        return nodeWorkerEndpoint(script);
      } catch (e) {
        failed = true;
        warn(`analysis: no worker thread (${String(e)}); analysing on the extension host's thread`);
      }
    }
    return onThread();
  };
}
