/** The instrumentation scope spans and metrics are reported under. */
export const SCOPE = '@sentinel-kit/core';

/** Span and metric attribute names: OpenTelemetry's database conventions, and sentinel-kit's own. */
export const ATTR = {
  dbSystem: 'db.system.name',
  dbNamespace: 'db.namespace',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  alias: 'sentinel_kit.cache.alias',
  operation: 'sentinel_kit.cache.operation',
  result: 'sentinel_kit.cache.result',
  hit: 'sentinel_kit.cache.hit',
  key: 'sentinel_kit.cache.key',
  keyCount: 'sentinel_kit.cache.keys',
  masterName: 'sentinel_kit.master.name',
  holdDuration: 'sentinel_kit.failover.hold.duration',
} as const;

export const METRIC = {
  operations: 'sentinel_kit.cache.operations',
  operationDuration: 'sentinel_kit.cache.operation.duration',
  failovers: 'sentinel_kit.failovers',
  holdDuration: 'sentinel_kit.failover.hold.duration',
  resumeDuration: 'sentinel_kit.failover.resume.duration',
  nearHits: 'sentinel_kit.near_cache.hits',
  nearMisses: 'sentinel_kit.near_cache.misses',
  nearInvalidations: 'sentinel_kit.near_cache.invalidations',
  nearFlushes: 'sentinel_kit.near_cache.flushes',
  nearSize: 'sentinel_kit.near_cache.size',
} as const;

/** The span event of a call whose write waited in the failover hold. */
export const HELD_EVENT = 'sentinel_kit.failover.held';
