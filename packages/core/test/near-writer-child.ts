// Another process that writes: it opens its own cache on the topology, says "ready" over IPC, and
// answers each { set } with the time its write was acknowledged. Run by near-writer.ts with
// `node --import tsx`.
import { createCache } from '../src/index.js';

export interface NearWriterConfig {
  location: string;
  keyPrefix: string;
}

export type NearWriterRequest = { set: { key: string; value: string } };
export type NearWriterMessage = { ready: true } | { acked: { key: string; value: string; at: number } };

const config = JSON.parse(process.argv[2] ?? '{}') as NearWriterConfig;
const send = (message: NearWriterMessage) => process.send?.(message);
const cache = createCache({ location: config.location, keyPrefix: config.keyPrefix, timeout: null });

process.on('message', (request: NearWriterRequest) => {
  const { key, value } = request.set;
  void cache.set(key, value).then(() => send({ acked: { key, value, at: Date.now() } }));
});
process.on('disconnect', () => {
  void cache.close();
});
await cache.set('writer:ready', 1);
send({ ready: true });
