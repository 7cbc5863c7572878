/**
 * The error taxonomy: every error sentinel-kit throws is a `SentinelKitError` with a stable `code`
 * (`ERROR_CODES`), one class per code, grouped by the layer that raises it in errors/.
 */
export * from './errors/base.js';
export * from './errors/cache-errors.js';
export * from './errors/cluster-errors.js';
export * from './errors/connection-errors.js';
export * from './errors/location-errors.js';
export * from './errors/sentinel-errors.js';
