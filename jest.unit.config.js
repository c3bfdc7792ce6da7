/**
 * Every test but the end-to-end deployments (test/e2e): the handlers' unit tests and the template
 * tests, which is what mutation testing runs per mutant (stryker.unit.config.json), minutes per
 * file instead of the hours the whole suite would take.
 */
const base = require('./jest.config.js');

module.exports = { ...base, testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'] };
