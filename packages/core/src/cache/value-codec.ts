import { DeserializationError, SerializationError } from '../errors.js';
import type { Compressor, Serializer } from './cache-config.js';
import { noneCompressor } from './compressors/none.js';

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Turns cache values into what Redis stores and back, the way django-redis's `encode`/`decode` do:
 * a plain integer (not a boolean) is sent as its decimal text, which Redis keeps as an integer, so
 * `INCR` works and Django reads an `int`; anything else is serialized, then compressed.
 */
export class ValueCodec {
  constructor(
    private readonly serializer: Serializer,
    private readonly compressor: Compressor,
    private readonly alias: string | undefined,
  ) {}

  encode(key: string, value: unknown): string | Buffer {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    let dumped: string | Buffer;
    try {
      dumped = this.serializer.dumps(value);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      throw new SerializationError(
        key,
        `${problem} (serializer "${this.serializer.name}")`,
        this.context(error),
      );
    }
    if (this.compressor === noneCompressor) return dumped;
    return this.compressor.compress(typeof dumped === 'string' ? Buffer.from(dumped, 'utf8') : dumped);
  }

  /**
   * Integers beyond 2^53 (written by Python) read back as the nearest Number: a cache value is
   * read as `number`, and a BigInt in its place would surprise more than the lost digits.
   */
  decode(key: string, stored: Buffer): unknown {
    if (stored.length > 0 && stored.length <= 20 && INTEGER_TEXT.test(stored.toString('latin1'))) {
      return Number(stored.toString('latin1'));
    }
    const plain =
      this.compressor === noneCompressor ? stored : (this.compressor.decompress(stored) ?? stored);
    try {
      return this.serializer.loads(plain);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      throw new DeserializationError(key, `${this.serializer.name}: ${problem}`, this.context(error));
    }
  }

  private context(cause: unknown): { alias?: string; cause: unknown } {
    return this.alias === undefined ? { cause } : { alias: this.alias, cause };
  }
}
