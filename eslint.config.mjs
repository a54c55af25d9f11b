// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const APPS = [
  'clinician-console',
  'clinician-realtime',
  'his-simulator',
  'referral-registry',
  'remote-diagnosis',
  'specialist-slots',
  'standalone',
];
/** The embedded default (`npm start`): the one place that puts the apps' modules together in one process. */
const COMPOSITION_ROOT = 'standalone';

/**
 * No app imports another: an app shares code only through libs/ (a relative path into another app's
 * folder is the only way to reach it, so that is what is refused). Tests and benchmarks may.
 */
const appBoundaries = APPS.filter((app) => app !== COMPOSITION_ROOT).map((app) => ({
  files: [`apps/${app}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: APPS.filter((other) => other !== app).map((other) => ({
          group: [`**/${other}`, `**/${other}/**`],
          message: `apps/${app} may not import apps/${other}: no app imports another; move what both need into a lib under libs/.`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'libs/contracts/src/gen/**',
      '.data/**',
      '.tmp/**',
      'coverage/**',
      'scripts/**',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...appBoundaries,
  // Layout is Prettier's (npm run lint checks it, npm run format writes it); no ESLint rule argues with it.
  prettier,
);
