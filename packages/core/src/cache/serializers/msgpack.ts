import { Packr } from 'msgpackr';
import type { Serializer } from '../cache-config.js';

// Plain MessagePack maps with the smallest header, no msgpackr record extension, so Python's
// `msgpack.loads(raw=False)` (django-redis's MSGPackSerializer) reads what this writes.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

/** The MessagePack serializer's type: its `dumps` gives bytes. */
export interface MsgpackSerializer extends Serializer {
  dumps(value: unknown): Buffer;
}

/** MessagePack via msgpackr, in the format django-redis's `MSGPackSerializer` reads and writes. */
export const msgpackSerializer: MsgpackSerializer = {
  name: 'msgpack',
  dumps(value: unknown): Buffer {
    if (value === undefined) throw new TypeError('the value is undefined; store null, or delete the key');
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`the value is a ${typeof value}, which MessagePack cannot represent`);
    }
    return packr.pack(value);
  },
  loads(bytes: Buffer): unknown {
    return packr.unpack(bytes);
  },
};
