// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
  setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    // the contracts must load in a browser or a plugin sandbox
    files: ['src/contracts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'execa', 'eventemitter3'] }] },
  },
  {
    // the adapter authoring kit runs inside adapters: contracts and node built-ins only
    files: ['src/vcs-adapter/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['execa', 'eventemitter3', 'node:child_process'], patterns: ['../host/*', '../process/*', '../policy/*', '../vcs/*'] }] },
  },
  {
    // one architecture: only src/process starts processes
    files: ['src/**'],
    ignores: ['src/process/**', 'src/contracts/**', 'src/vcs-adapter/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['execa', 'node:child_process', 'child_process'] }] },
  },
  {
    // the JSON-RPC layer and the options reader are generic: nothing in them knows a plugin, a catalog or a host
    files: ['src/jsonrpc/**', 'src/options/**', 'src/util/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['execa', 'node:child_process', 'child_process'],
        patterns: ['**/catalog/**', '**/rpc-plugin/**', '**/vcs/**', '**/vcs-adapter/**', '**/host/**', '**/policy/**', '**/process/**', '**/tasks/**', '**/testing/**', '**/output/**', '**/events/**'],
      }],
    },
  },
  {
    // the catalog's server and client share only the dialect (protocol.ts), the manifests and the errors
    files: ['src/catalog/client/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['execa', 'node:child_process', 'child_process'], patterns: ['../server/**', '**/catalog/server/**'] }] },
  },
  {
    files: ['src/catalog/server/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['execa', 'node:child_process', 'child_process'], patterns: ['../client/**', '../../client/**', '**/catalog/client/**'] }] },
  },
);
