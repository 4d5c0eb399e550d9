// The tutorial's Node-only parts, handed to registerTutorial by the Node composition root
// (src/extension.ts) and never imported by the browser build.
import type { NodeTutorial } from './index';
import { registerKernelCheck } from './kernel';

export const nodeTutorial: NodeTutorial = { registerKernelCheck };
