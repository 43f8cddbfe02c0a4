// Lint: typescript-eslint's recommended rules plus the import rules that keep the
// layers (README "Architecture" says what each folder may import, and why).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const TESTS = ['**/*.test.ts', 'hil-tests/**', 'test-support/**'];
/** Folders production code must never reach: simulators, tests, the composition root. */
const NOT_PRODUCT = ['./simulator', './hil-tests', './test-support', './app'];

/** One zone per forbidden arrow: files under `target` may not import from `from`. */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'web/vendor/**', 'native/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    // The layers. Tests may reach anything; production code may not.
    files: ['src/**/*.ts', 'drivers/**/*.ts', 'simulator/**/*.ts', 'bench/**/*.ts'],
    ignores: TESTS,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...NOT_PRODUCT.map((from) => zone('./src', from, 'src/ is production: no simulator, test or app code')),
            ...NOT_PRODUCT.map((from) => zone('./drivers', from, 'drivers/ is production: no simulator, test or app code')),
            ...['./hil-tests', './test-support', './app'].map((from) =>
              zone('./simulator', from, 'the simulator ships in dist/: no test code'),
            ),
            ...['./hil-tests', './test-support', './app'].map((from) => zone('./bench', from, 'benchmarks ship in dist/: no test code')),
            ...['signalling', 'dsp', 'seats', 'campaign', 'pacing'].map((layer) =>
              zone('./drivers', `./src/${layer}`, `drivers sit below the protocol and business layers: no src/${layer}`),
            ),
            ...['seats', 'campaign', 'pacing'].map((layer) =>
              zone(`./src/${layer}`, './drivers/dahdi', `${layer} reaches hardware through drivers/ports, never drivers/dahdi`),
            ),
            zone('./drivers/ports', './drivers', 'a port is an interface: it imports no implementation', ['./ports']),
            zone('./src/core', './src', 'src/core is the bottom layer', ['./core']),
            zone('./src/core', './drivers', 'src/core is the bottom layer'),
          ],
        },
      ],
    },
  },
);
