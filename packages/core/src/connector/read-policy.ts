import type { Redis } from 'ioredis';
import type { ReadFrom } from './connector-options.js';

/**
 * The client that serves a read now. A "preferred" side counts as healthy while its client is
 * connected and ready; the other side takes over meanwhile, and the first choice is used again as
 * soon as it is ready. `replica` and `master` never fall back: their commands wait in the client's
 * queue.
 */
export function chooseReader(readFrom: ReadFrom, master: Redis, replica: Redis): Redis {
  switch (readFrom) {
    case 'master':
      return master;
    case 'replica':
      return replica;
    case 'replicaPreferred':
      return replica.status === 'ready' ? replica : master;
    case 'masterPreferred':
      return master.status !== 'ready' && replica.status === 'ready' ? replica : master;
  }
}
