// Flat config: strict type-aware rules everywhere, an acyclic import graph, plus the
// workflow-sandbox rule that keeps Node built-ins and service code out of Temporal workflow files.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.stack/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // A cycle makes start-up order matter and hides which module owns what: none, across
    // workspaces too (the resolver follows the packages' `exports` to their sources).
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // Interfaces return promises; an implementation with nothing to await is still correct.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': 'error',
    },
  },
  {
    // CLIs and tests talk to a person on the terminal.
    files: ['tools/**/*.ts', '**/test/**/*.ts', 'scripts/**/*.ts', 'loadtest/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Plain ES modules run by node directly (scripts, the telemetry preload, this file): linted
    // without type information, with Node's globals.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  {
    files: ['orchestrator/src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'Workflow code runs in a deterministic sandbox: no Node built-ins.',
            },
            {
              group: ['**/activities/**', '@orders/platform*', 'pg', 'kafkajs', 'stripe', 'express', 'zod'],
              message: 'Workflows import only @temporalio/workflow and pure helpers (activities by type).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
