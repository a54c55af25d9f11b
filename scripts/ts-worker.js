/**
 * Entry of a worker thread started from the TypeScript source (tests, benchmarks): registers the
 * SWC hook, then exports the .ts module named in workerData.source. Built code starts its .js directly.
 */
require('./register-ts');
module.exports = require(require('node:worker_threads').workerData.source);
