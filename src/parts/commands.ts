// The commands whose handlers live in the lazily loaded parts: the entry bundle registers a
// stand-in for each (src/parts/loader.ts). test/unit/parts/chain.test.ts checks these lists
// against package.json and the sources.

/** Commands the parts register, in both builds. */
export const PART_COMMANDS = [
  'cowLab.run', 'cowLab.stepForward', 'cowLab.stepBack', 'cowLab.firstStep', 'cowLab.lastStep', 'cowLab.compare', 'cowLab.togglePredict',
  'cowLab.openSample', 'cowLab.newExercise', 'cowLab.checkExercise', 'cowLab.comparisonTable', 'cowLab.walkthroughAction',
  // Internal: the panel's test-only surface (src/panel/inspection.ts).
  '_cowLab.panelState', '_cowLab.simulateWebviewMessage', '_cowLab.waitForRuns',
] as const;

/** Commands only the Node build's part registers: the kernel check's terminal, measuring the machine (and forgetting it). */
export const NODE_PART_COMMANDS = ['cowLab.verifyInTerminal', 'cowLab.measure', 'cowLab.forgetMeasurement'] as const;

