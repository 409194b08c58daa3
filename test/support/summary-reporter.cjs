// Mocha's dot reporter plus the plain closing line CI reads: "<suite>: N passed, N failed[, N skipped]".
// CommonJS because mocha loads reporters with require().
const { reporters } = require('mocha');

class SummaryReporter extends reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const suite = (options.reporterOptions && options.reporterOptions.suite) || 'tests';
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      process.stdout.write(`${suite}: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}

module.exports = SummaryReporter;
