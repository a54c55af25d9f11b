#!/usr/bin/env node
/**
 * Runs a TypeScript entry point from the source tree (benchmarks), through register-ts.js.
 * Usage: node scripts/run-ts.js bench/push-latency/push-latency.bench.ts [args]
 */
const { resolve } = require('node:path');
require('./register-ts');

const [entry, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(entry), ...args];
require(resolve(entry));
