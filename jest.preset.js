// Shared jest settings: specs are ESM TypeScript (vega and vega-lite are ESM-only), so jest runs with
// --experimental-vm-modules and ts-jest's ESM mode. Workspace packages resolve to their sources.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
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
  reporters: ['default', join(root, 'tools/jest-tally-reporter.js')],
};
