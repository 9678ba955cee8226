// Shared jest settings: specs are ESM TypeScript (vega and vega-lite are ESM-only), so jest runs with
// --experimental-vm-modules and ts-jest's ESM mode. Workspace packages resolve to their sources.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));
const tally = join(root, 'tools/jest-tally-reporter.js');
// links ES module graphs one at a time: concurrent first imports race in jest's vm linker on Node < 24.9
const runtime = join(root, 'tools/jest/serial-link-runtime.cjs');

const shared = {
  testEnvironment: 'node',
  runtime,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@stagegraph/([a-z-]+)$': join(root, 'packages/$1/src/index.ts'),
    '^@stagegraph/([a-z-]+)/([a-z-]+)$': join(root, 'packages/$1/src/$2.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
  },
  testTimeout: 60000,
  globalSetup: join(root, 'tools/jest-global-setup.js'),
  // every run in a new order (the seed is printed to replay it): no spec may lean on another's leftovers
  randomize: true,
  showSeed: true,
};

/**
 * Two tiers per project. The unit tier (each project's `test` target, `npm run test:unit`): every
 * `*.spec.ts` but the e2e ones, in-process and quick.
 */
export default {
  ...shared,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.spec\\.ts$'],
  reporters: ['default', [tally, { tier: 'unit' }]],
};

/**
 * The e2e tier (the `e2e` target, a project's jest.e2e.config.js): `*.e2e.spec.ts`, the specs that
 * drive the built CLI in a child process, a browser, Redis, s3rver or a local registry, and those
 * that train a whole pipeline through the CLI.
 */
export const e2e = {
  ...shared,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  reporters: ['default', [tally, { tier: 'e2e' }]],
};
