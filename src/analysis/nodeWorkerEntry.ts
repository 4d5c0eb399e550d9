// Entry of dist/analysisWorker.js (Node worker_threads).
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './messages';
import { serveAnalyses } from './workerMain';

const port = parentPort;
if (port) serveAnalyses({ onMessage: (listener) => port.on('message', (m: ToWorker) => listener(m)), post: (m) => port.postMessage(m) });
