const base = require('./jest.config.js');
module.exports = { ...base, testMatch: ['**/test/(iam-grants|grant-acknowledgements|run-batch-segment-job|run-batch-inference-job|solution-version|dataset-import-job|security|acknowledged-findings|batch-segment-job|batch-inference-job).test.ts'] };
