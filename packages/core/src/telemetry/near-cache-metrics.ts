import type { Attributes, Meter } from '@opentelemetry/api';
import { ATTR, METRIC } from './names.js';

/** What the near-cache metrics read of a cache: its alias and its near cache's counts (public on `Cache`). */
interface NearCacheOwner {
  readonly alias?: string | undefined;
  readonly nearCache?:
    | { size: number; hits: number; misses: number; invalidations: number; flushes: number }
    | undefined;
}

/** Every cache built in this process, held weakly: a cache the application dropped is not kept alive. */
const caches = new Set<WeakRef<NearCacheOwner>>();
/** Forgets a cache once it is collected, so building caches in a loop with no SDK leaves nothing behind. */
const forget = new FinalizationRegistry<WeakRef<NearCacheOwner>>((ref) => caches.delete(ref));

/** Makes `cache`'s near cache, if it has one, part of the near-cache metrics. */
export function watchNearCache(cache: object): void {
  const ref = new WeakRef(cache as NearCacheOwner);
  caches.add(ref);
  forget.register(cache, ref);
}

/**
 * The near cache's counts as observable instruments on `meter`, read at each collection (a
 * Prometheus scrape), so a read answered from memory costs nothing more than its own count.
 */
export function observeNearCaches(meter: Meter): void {
  const counter = (name: string, description: string) => meter.createObservableCounter(name, { description });
  const hits = counter(METRIC.nearHits, 'Reads the near cache answered from memory');
  const misses = counter(METRIC.nearMisses, 'Reads the near cache sent to the master');
  const invalidations = counter(
    METRIC.nearInvalidations,
    'Entries dropped by an invalidation or an own write',
  );
  const flushes = counter(
    METRIC.nearFlushes,
    'Times the near cache dropped everything (reconnect, failover, FLUSHDB)',
  );
  const size = meter.createObservableGauge(METRIC.nearSize, { description: 'Entries the near cache holds' });
  meter.addBatchObservableCallback(
    (result) => {
      for (const ref of caches) {
        const cache = ref.deref();
        if (cache === undefined) {
          caches.delete(ref);
          continue;
        }
        const stats = cache.nearCache;
        if (stats === undefined) continue;
        const attributes: Attributes = cache.alias === undefined ? {} : { [ATTR.alias]: cache.alias };
        result.observe(hits, stats.hits, attributes);
        result.observe(misses, stats.misses, attributes);
        result.observe(invalidations, stats.invalidations, attributes);
        result.observe(flushes, stats.flushes, attributes);
        result.observe(size, stats.size, attributes);
      }
    },
    [hits, misses, invalidations, flushes, size],
  );
}
