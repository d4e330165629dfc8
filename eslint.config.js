// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'proto/generated/**', 'data/**'] },
  eslint.configs.recommended,
  { languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The Raft core is a pure state machine: no I/O, no timers, no clock, no randomness of its own.
    files: ['cluster/raft/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'net', 'timers', 'crypto', 'os', 'child_process', '**/common/*', '**/master/*', '**/sim/*'], message: 'cluster/raft/core is pure: the caller does all I/O' }] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'performance', 'process'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now' }, { object: 'Math', property: 'random' }, { object: 'crypto', property: 'randomUUID' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'no clock in cluster/raft/core' }],
    },
  },
  {
    // Layering (docs/architecture.md): gateway, fuse and cli reach the cluster only through the sdk.
    files: ['gateway/**/*.ts', 'fuse/**/*.ts', 'sdk/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cluster/**'], message: 'gateway, fuse and sdk use the sdk, never cluster/* (docs/architecture.md)' }] }],
    },
  },
);
