// Mocha's defaults for the unit layer. `npx mocha` runs every unit test; `npx mocha FILE…` runs
// only the files named (mocha would otherwise add them to the configured spec and run everything).
const named = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.test\.ts$/.test(arg));

module.exports = {
  ...(named ? {} : { spec: ['test/unit/**/*.test.ts'] }),
  'node-option': ['import=tsx'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'dot',
};
