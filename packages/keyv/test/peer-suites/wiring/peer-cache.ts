import { type Cache, createCache } from '@sentinel-kit/core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The location (sentinel, or cluster with PEER_TOPOLOGY=cluster) of the topology global-setup.ts started. */
    peerLocation: string;
  }
}

let shared: Cache | undefined;

/** PEER_READ_YOUR_WRITES=0 turns read-your-writes off, to see what it changes. */
const readYourWrites =
  process.env.PEER_READ_YOUR_WRITES === undefined
    ? {}
    : { readYourWrites: Number(process.env.PEER_READ_YOUR_WRITES) };

/**
 * The one Cache of this test file's worker, on the topology global-setup.ts started, with every
 * option at its default (reads from a replica when one is ready, read-your-writes on): the stores
 * the peers' tests get are what an application gets from a bare config.
 */
export function peerCache(): Cache {
  shared ??= createCache({ location: inject('peerLocation'), keyPrefix: 'peer', options: readYourWrites });
  return shared;
}

/**
 * A Cache of its own on `location` (a store that is told where Redis is, or one that must not see
 * another's keys), closed with `close()`.
 */
export function cacheAt(location: string, keyPrefix = 'peer'): Cache {
  return createCache({ location, keyPrefix, options: readYourWrites });
}
