// A jest reporter that records each project's pass/fail counts in .jest-tally/, so `.ci/run` can
// print one closing line for the whole workspace after Nx ran every project's jest.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default class JestTallyReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.tier = options.tier ?? 'unit';
  }

  onRunComplete(_contexts, results) {
    // .jest-tally/<projectRoot>/<tier>/tally.json: the test (unit) or e2e target's output, so Nx restores it on a cache hit
    const dir = join(this.rootDir, '..', '..', '.jest-tally', ...this.rootDir.split('/').slice(-2), this.tier);
    mkdirSync(dir, { recursive: true });
    const tally = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests,
    };
    writeFileSync(join(dir, 'tally.json'), JSON.stringify(tally));
  }
}
