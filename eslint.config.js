import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Dependencies point one way: app -> domain packages -> core (contracts, core-tensor, pipeline); the
// engine (layer:engine) knows no tensors, no contracts of data and no domain; the contracts
// (layer:contracts) know only the engine. The file reader (layer:reader, @stagegraph/tables) is the one
// domain package the others may build on: it depends on core alone, so no cycle can go through it.
// Tags live in each project's package.json "nx" field.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:solution', 'type:domain', 'type:core'] },
  { sourceTag: 'type:solution', onlyDependOnLibsWithTags: ['type:domain', 'type:core'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:core', 'layer:reader'] },
  { sourceTag: 'layer:reader', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:solution', 'type:domain', 'type:core'] },
  {
    sourceTag: 'layer:engine',
    notDependOnLibsWithTags: ['layer:tensor', 'layer:contracts', 'type:domain', 'type:app'],
  },
  { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: ['layer:engine'] },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', 'runs/**', '.stagegraph/**', '.nx/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      // Stage definitions import @stagegraph/core-tensor's light entry (`/ports`) statically and its main
      // entry (TensorFlow.js) only inside `run`; the modules that import the main entry statically are
      // themselves loaded that way. Nx sees one library imported both ways and would refuse it;
      // stage-definitions-load-no-tfjs.spec.ts checks what a run's registry really loads.
      '@nx/enforce-module-boundaries': [
        'error',
        { allow: [], depConstraints, checkDynamicDependenciesExceptions: ['@stagegraph/core-tensor'] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // one import statement per module (a type-only import beside a value import is allowed)
      'no-duplicate-imports': ['error', { includeExports: false, allowSeparateTypeImports: true }],
    },
  },
  {
    // Modules that import each other (directly or round a loop) within a project: a type-only import
    // counts too, since it ties the two files' meaning together. Across projects Nx refuses cycles.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] }, // the files an import leads to are read as TypeScript
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // A function that does not fit on a screen does several things: split it (specs may be long).
    files: ['**/src/**/*.ts', '**/src/**/*.js', '**/bin/**/*.js', 'tools/**/*.js'],
    ignores: ['**/*.spec.ts', '**/test-support/**'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    // CommonJS where a tool loads modules by require() (jest's `runtime` option)
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier, // formatting is Prettier's (npm run format:check): no eslint rule may disagree with it
];
