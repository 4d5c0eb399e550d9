// A worker endpoint whose worker is not there yet: messages wait until `start` resolves (the
// browser build loads its analysis part, src/analysis/inline.ts, on the first analysis), then go
// to the endpoint it returns. A failed start is reported as the worker's error.
import type { FromWorker, ToWorker, WorkerEndpoint } from './messages';

export function deferredEndpoint(start: () => Promise<WorkerEndpoint>): WorkerEndpoint {
  let endpoint: WorkerEndpoint | undefined;
  let ended = false;
  const waiting: ToWorker[] = [];
  const messageListeners: ((m: FromWorker) => void)[] = [];
  const errorListeners: ((e: Error) => void)[] = [];
  start().then(
    (started) => {
      if (ended) return started.terminate();
      endpoint = started;
      started.onMessage((m) => messageListeners.forEach((l) => l(m)));
      started.onError((e) => errorListeners.forEach((l) => l(e)));
      waiting.splice(0).forEach((m) => started.post(m));
    },
    (e: unknown) => errorListeners.forEach((l) => l(e instanceof Error ? e : new Error(String(e)))),
  );
  return {
    post: (m) => (endpoint ? endpoint.post(m) : void waiting.push(m)),
    onMessage: (listener) => void messageListeners.push(listener),
    onError: (listener) => void errorListeners.push(listener),
    terminate: () => {
      ended = true;
      endpoint?.terminate();
    },
  };
}
