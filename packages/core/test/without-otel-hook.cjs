// Preloaded with --require: makes @opentelemetry/api unresolvable, as in an application that never
// installed it, and counts the attempts to load it.
const Module = require('node:module');

const resolve = Module._resolveFilename;
globalThis.otelLoadAttempts = 0;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/api/')) {
    globalThis.otelLoadAttempts++;
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
