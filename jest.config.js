/** Tests live beside the code (src, drivers, simulator), in hil-tests, and for the install in scripts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/drivers', '<rootDir>/simulator', '<rootDir>/hil-tests', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  // The run must leave a clean checkout clean (scripts/tree-guard.ts).
  globalSetup: '<rootDir>/scripts/jest-global-setup.ts',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.ts',
};
