// Where the peers' tests read the Redis to use from the environment, it is the topology.
import { inject } from 'vitest';

process.env.REDIS_URI = inject('peerLocation');
