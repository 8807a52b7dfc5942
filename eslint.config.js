// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/**
 * Import directions of DESIGN §2, enforced: arrows only point down.
 *   web → contracts, domain        api → contracts, domain, db, seeds
 *   db → domain (types only)       domain, contracts → nothing of ours
 * plus: domain does no I/O, services know nothing of Fastify, components and pages never call HTTP.
 */
const RULE = '@typescript-eslint/no-restricted-imports';
const ours = (...names) => names.map((name) => ({ name, message: `DESIGN §2: this layer must not import ${name}.` }));
const server = ['fastify', 'drizzle-orm', 'pg', '@electric-sql/pglite'].map((name) => ({
  group: [name, `${name}/*`, '@fastify/*'],
  message: 'DESIGN §2: server and database libraries do not belong in this layer.',
}));
const io = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:child_process'].map((name) => ({
  name,
  message: 'DESIGN §2: the domain package is pure: no I/O.',
}));

export const importDirections = [
  {
    files: ['packages/domain/**/*.ts'],
    rules: {
      [RULE]: ['error', { paths: [...ours('@sports/contracts', '@sports/db', '@sports/api', '@sports/web', '@sports/seeds'), ...io], patterns: server }],
    },
  },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: {
      [RULE]: ['error', { paths: ours('@sports/domain', '@sports/db', '@sports/api', '@sports/web', '@sports/seeds'), patterns: server }],
    },
  },
  {
    files: ['packages/db/**/*.ts'],
    rules: {
      [RULE]: [
        'error',
        {
          paths: [
            ...ours('@sports/contracts', '@sports/api', '@sports/web', '@sports/seeds'),
            { name: '@sports/domain', allowTypeImports: true, message: 'DESIGN §2: db may import domain types only.' },
          ],
          patterns: [{ group: ['fastify', '@fastify/*'], message: 'DESIGN §2: the db package knows nothing of HTTP.' }],
        },
      ],
    },
  },
  {
    files: ['seeds/**/*.ts'],
    rules: { [RULE]: ['error', { paths: ours('@sports/api', '@sports/web', '@sports/contracts') }] },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: { [RULE]: ['error', { paths: ours('@sports/web') }] },
  },
  {
    files: ['apps/api/src/services/**/*.ts'],
    rules: {
      [RULE]: [
        'error',
        {
          paths: ours('@sports/web'),
          patterns: [{ group: ['fastify', '@fastify/*', '**/plugins/**', '**/routes/**'], message: 'DESIGN §2: services hold no Fastify types.' }],
        },
      ],
      // The clock is passed in (the app's `now()`), as the domain has it; the database's own clock
      // is `now()` in SQL. Issue 14.
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Clock injected: services take `now`, never read the clock (new Date()).' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Clock injected: services take `now`, never read the clock (Date.now()).' },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,vue}'],
    rules: {
      [RULE]: ['error', { paths: ours('@sports/db', '@sports/api', '@sports/seeds'), patterns: server }],
    },
  },
  {
    files: ['apps/web/src/components/**/*.{ts,vue}', 'apps/web/src/pages/**/*.{ts,vue}'],
    rules: {
      [RULE]: [
        'error',
        {
          paths: ours('@sports/db', '@sports/api', '@sports/seeds'),
          patterns: [
            ...server,
            { group: ['@/api', '@/api/*', '**/api/*'], message: 'DESIGN §2: a component never calls HTTP; use a store or composable.' },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'artifacts/**', 'test-results/**', 'playwright-report/**', 'migrations/**', 'tools/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['apps/web/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...importDirections,
);
