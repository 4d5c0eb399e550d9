// Mocha reporter for scripts/test-all.mjs: prints exactly what a built-in reporter prints
// (`--reporter-option base=dot|spec`, default spec) and, when COW_LAB_COUNTS_FILE is set, writes
// {passes, failures, skipped} there at the end of the run so the layer can be counted.
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class CountReporter {
  constructor(runner, options) {
    const baseName = (options && options.reporterOption && options.reporterOption.base) || 'spec';
    const Base = Mocha.reporters[baseName];
    if (!Base) throw new Error(`count-reporter: unknown base reporter ${baseName}`);
    this.base = new Base(runner, options);
    let passes = 0;
    let failures = 0;
    let skipped = 0;
    // Failing hooks arrive as 'fail' too, so a broken before() counts as a failure.
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => (passes += 1));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => (failures += 1));
    // this.skip() and it.skip: a test that could not run here, counted apart from passes.
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => (skipped += 1));
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.COW_LAB_COUNTS_FILE;
      if (file) writeFileSync(file, JSON.stringify({ passes, failures, skipped }));
    });
  }

  done(failures, fn) {
    if (typeof this.base.done === 'function') this.base.done(failures, fn);
    else fn(failures);
  }
}

module.exports = CountReporter;
