/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // ts-jest transpiles each file alone (isolatedModules in tsconfig.json); npm test type-checks with tsc.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  // Synthesizing stacks with real assets takes a few seconds on a 2-core machine.
  testTimeout: 60_000,
};
