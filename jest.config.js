/** Tests live beside the code (src, drivers, simulator, bench), in hil-tests, and for the install in scripts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/drivers', '<rootDir>/simulator', '<rootDir>/hil-tests', '<rootDir>/scripts', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // The MP3 decoder (and the encoder tests make MP3s with) ship as ES modules only: to CommonJS for jest.
    '/node_modules/(mpg123-decoder|@wasm-audio-decoders/common|@breezystack/lamejs)/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(mpg123-decoder|@wasm-audio-decoders/common|@breezystack/lamejs)/)'],
  // Its "require" entry is a browser IIFE that exports nothing.
  moduleNameMapper: { '^@breezystack/lamejs$': '<rootDir>/node_modules/@breezystack/lamejs/dist/lamejs.js' },
  testTimeout: 60000,
  // Most of the slow suites wait on timers and child processes, not the CPU: two workers on CI's
  // two cores halve the wall time (12.4 -> 6.3 min measured) without starving either.
  maxWorkers: 2,
  // The run must leave a clean checkout clean (scripts/tree-guard.ts).
  globalSetup: '<rootDir>/scripts/jest-global-setup.ts',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.ts',
};
