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
    // Layering (ARCHITECTURE.md): gateway, fuse and cli reach the cluster only through the sdk.
    files: ['gateway/**/*.ts', 'fuse/**/*.ts', 'sdk/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cluster/**'], message: 'gateway, fuse and sdk use the sdk, never cluster/* (ARCHITECTURE.md)' }] }],
    },
  },
);
