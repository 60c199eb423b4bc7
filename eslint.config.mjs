// ESLint for Ruche (`npm run lint`, run by `npm test`): the recommended JavaScript and
// typescript-eslint sets (not type-aware, so the whole tree lints in seconds) and the
// plugin-boundary rule derived from the manifests (tools/eslint/, docs/plugins.md "Boundaries").
// Formatting is Prettier's (.prettierrc.json), checked by `npm run lint` too.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import ruche from './tools/eslint/index.cjs';

const root = import.meta.dirname;
const boundaryOptions = { root, pending: 'tools/eslint/pending-boundaries.json' };

const readonly = (names) => Object.fromEntries(names.map((n) => [n, 'readonly']));
const nodeGlobals = readonly(['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']);
const commonJsGlobals = readonly(['require', 'module', 'exports', '__dirname', '__filename']);
const browserGlobals = readonly([
  'window',
  'document',
  'console',
  'fetch',
  'location',
  'navigator',
  'WebSocket',
  'URL',
  'URLSearchParams',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
]);

export default defineConfig([
  globalIgnores(['node_modules/', 'dist/', 'data/', 'bench/.data/', 'bench/results/', 'tests/e2e/artifacts/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding kept on purpose (a destructured field left out, a
      // parameter an interface requires).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // The tree compiles to CommonJS; require() is used only for paths known at run time
      // (plugin manifests, package.json, the pg driver in the test harness).
      '@typescript-eslint/no-require-imports': 'off',
      // `let x!: T` read by a closure built before its one assignment cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Test regexes match the CLI's column-aligned output literally (`OK   config valid`).
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['**/*.{ts,js,cjs,mjs}'],
    plugins: { ruche },
    rules: {
      'ruche/plugin-boundaries': ['error', boundaryOptions],
      // Warns while an entry of the pending list no longer matches a violation (remove it).
      'ruche/pending-boundaries': ['warn', boundaryOptions],
    },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: nodeGlobals } },
  { files: ['**/*.cjs', 'bin/**/*.js'], languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } } },
  { files: ['plugins/*/assets/**/*.js', 'themes/*/assets/**/*.js'], languageOptions: { sourceType: 'script', globals: browserGlobals } },
]);
