// How much work the editor runs without asking. The editor runs scenarios as the learner types,
// on the extension host's one thread (or its analysis worker); a scenario that writes a whole
// 16 GiB region is legal but takes seconds to run, and must not freeze the editor on every pause
// in typing. runCost.ts estimates a scenario's cost against this budget. (A module of its own:
// the entry bundle reads the budget without loading the lifecycle model.)

/** Page operations the editor runs without asking (about 0.1–0.25 s of engine time measured). */
export const RUN_AS_YOU_TYPE_BUDGET = 100_000;
