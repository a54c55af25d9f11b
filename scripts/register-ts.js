/**
 * Lets Node load the source tree's TypeScript directly (benchmarks, and worker threads started
 * from source under jest): .ts files are compiled on load with SWC using the repository's .swcrc
 * (as jest does), and `@countylink/<lib>` resolves to libs/<lib>/src. Loaded with `--require`.
 */
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@countylink\/(contracts|messaging|his-gateway|persistence|auth|platform|testing)(\/.*)?$/.exec(
    request,
  );
  const target = alias ? join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return resolveFilename.call(this, target, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    ...swcrc,
    filename,
    swcrc: false,
    configFile: false,
  });
  module._compile(code, filename);
};
