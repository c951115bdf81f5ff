// Lints the TypeScript of the extension, the language server and the tests with the type
// information of tsconfig.json (typescript-eslint's strict and stylistic type-checked rules).
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns off the rules
// that would disagree with it.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', 'test/e2e/harness/**', '.bench/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['client/src/**/*.ts', 'server/src/**/*.ts', 'test/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked, prettier],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test() and describe() return promises that the runner itself awaits; awaiting
      // or voiding each call would add noise to every test file without catching anything.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      // Counts, offsets and sizes are written into messages all the time, and a number always
      // prints the same way; the other types (objects, nullish, booleans) stay forbidden.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // As tsc's noUnusedParameters: a leading underscore marks a parameter or a destructured part
      // that is left out on purpose (`const { service: _service, ...others } = filter`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The in-memory fakes of the tests implement the environment's asynchronous interfaces with
    // async methods that have nothing to await; being async keeps their failures rejections, as
    // the real ones are.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Each LSP message is declared the way vscode-languageserver-protocol declares its own: a
    // namespace holding the method name and the typed message (`EventTreeRequest.type`).
    files: ['server/src/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
);
