// @ts-check
/**
 * Lint configuration. The layer boundaries of docs/ARCHITECTURE.md are errors here, not wishes:
 * test/unit/lint-boundaries.test.ts proves each rule fires on a violating file.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Node built-ins, matched exactly (a gitignore-style `events` pattern would also catch `../events`). */
const nodeBuiltinRegex = '^(node:.*|fs|fs/.*|path|os|child_process|crypto|http|https|net|stream|stream/.*|url|util|events|worker_threads|zlib)$';

/** @param {string} name @param {string} why */
const ban = (name, why) => ({ group: [name], message: why });
/** @param {string} why */
const banNode = (why) => ({ regex: nodeBuiltinRegex, message: why });

const layerRules = {
  shared: [
    ban('electron', 'src/shared is imported by every process: no electron.'),
    ban('react', 'src/shared is imported by every process: no react.'),
    banNode('src/shared is imported by the renderer too: no Node built-ins.'),
    ban('**/core/**', 'src/shared may import only src/shared.'),
    ban('**/main/**', 'src/shared may import only src/shared.'),
    ban('**/renderer/**', 'src/shared may import only src/shared.'),
    ban('**/preload/**', 'src/shared may import only src/shared.'),
    ban('**/cli/**', 'src/shared may import only src/shared.'),
  ],
  core: [
    ban('electron', 'src/core is Node-only: it must never import electron (it runs headless as `offload`).'),
    ban('electron-store', 'src/core is Node-only: electron-store imports electron; use conf with an injected directory.'),
    ban('react', 'src/core never imports react.'),
    ban('react-dom', 'src/core never imports react.'),
    ban('**/main/**', 'src/core may not import src/main.'),
    ban('**/renderer/**', 'src/core may not import src/renderer.'),
    ban('**/preload/**', 'src/core may not import src/preload.'),
    ban('**/cli/**', 'src/core may not import src/cli.'),
  ],
  cli: [
    ban('electron', 'src/cli runs without a display: no electron.'),
    ban('react', 'src/cli never imports react.'),
    ban('**/main/**', 'src/cli may import only src/core and src/shared.'),
    ban('**/renderer/**', 'src/cli may import only src/core and src/shared.'),
    ban('**/preload/**', 'src/cli may import only src/core and src/shared.'),
  ],
  main: [
    ban('react', 'src/main never imports react.'),
    ban('**/renderer/**', 'src/main may not import src/renderer.'),
    ban('**/preload/**', 'src/main may not import src/preload.'),
    ban('**/cli/**', 'src/main may not import src/cli.'),
  ],
  preload: [
    ban('react', 'src/preload never imports react.'),
    banNode('src/preload runs sandboxed: no Node built-ins.'),
    ban('**/core/**', 'src/preload may import only src/shared and electron.'),
    ban('**/main/**', 'src/preload may import only src/shared and electron.'),
    ban('**/renderer/**', 'src/preload may import only src/shared and electron.'),
  ],
  renderer: [
    ban('electron', 'The renderer talks to the app only through the preload API (window.offload).'),
    banNode('The renderer has no Node: no Node built-ins.'),
    ban('**/core/**', 'The renderer may not import src/core: use the preload API.'),
    ban('**/main/**', 'The renderer may not import src/main.'),
    ban('**/preload/**', 'The renderer may not import src/preload; import the API types from src/shared.'),
    ban('**/cli/**', 'The renderer may not import src/cli.'),
  ],
};

/** Only the IPC wrappers may touch ipcMain / ipcRenderer (STYLE.md §1-2). */
const rawIpcBan = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Use the typed IPC wrappers (src/main/ipc/*, src/preload/api.ts), never raw ipcMain / ipcRenderer.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['out/**', 'out-test-hooks/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'docs/**', 'test/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...Object.entries(layerRules).map(([layer, patterns]) => ({
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        layer === 'main' || layer === 'preload' ? { patterns, ...rawIpcBan } : { patterns },
      ],
    },
  })),
  {
    // The app binary doubles as the `offload` command (src/main/cli-mode.ts): main's entry, and only it,
    // may import the command's process entry, and nothing else of src/cli.
    files: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: layerRules.main.map((p) => (p.group[0] === '**/cli/**' ? { ...p, group: ['**/cli/**', '!**/cli/command-line'] } : p)), ...rawIpcBan },
      ],
    },
  },
  {
    // The wrappers are the only files allowed to hold the raw IPC objects.
    files: ['src/main/ipc/register-handlers.ts', 'src/main/ipc/send-event.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layerRules.main }] },
  },
  {
    files: ['src/preload/api.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layerRules.preload }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
