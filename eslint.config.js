// ESLint flat config: typescript-eslint with type information, Solid rules for the
// client, and the package boundary rules (client and sync-server never import each
// other; shared is pure: no node:* and no I/O).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import solid from 'eslint-plugin-solid/configs/typescript';

const noCrossImport = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: forbidden,
          message: 'client and sync-server never import each other; move shared code to shared/.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'models/generated/**',
      '**/migrations/**',
      '**/*.config.ts',
      '**/*.config.js',
      'client/dev-dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    ...solid,
    rules: {
      ...solid.rules,
      ...noCrossImport(['**/sync-server/**', '@canopy/sync-server', '@canopy/sync-server/*']),
    },
  },
  {
    files: ['sync-server/**/*.ts'],
    rules: noCrossImport(['**/client/**', '@canopy/client', '@canopy/client/*']),
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure: no node:* imports.' },
            {
              group: ['**/sync-server/**', '**/client/**', '@canopy/sync-server', '@canopy/client'],
              message: 'shared/ depends on nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**'],
    ...tseslint.configs.disableTypeChecked,
  },
);
