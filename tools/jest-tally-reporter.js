// A jest reporter that records each project's pass/fail counts in .jest-tally/, so `.ci/run` can
// print one closing line for the whole workspace after Nx ran every project's jest.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default class JestTallyReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = join(this.rootDir, '..', '..', '.jest-tally');
    mkdirSync(dir, { recursive: true });
    const name = this.rootDir.split('/').slice(-2).join('-');
    const tally = { passed: results.numPassedTests, failed: results.numFailedTests + results.numRuntimeErrorTestSuites, skipped: results.numPendingTests };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(tally));
  }
}
