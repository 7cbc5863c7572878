export {
  type IoredisLike,
  type NodeRedisClientLike,
  NodeRedisShim,
  type ScanIteratorOptions,
  type SetExpiration,
  type SetOptions,
} from './node-redis-shim.js';
