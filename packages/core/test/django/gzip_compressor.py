"""django-redis's GzipCompressor as released in 5.3+ (5.2, the version Debian ships, has none).

Kept byte-for-byte in behaviour with upstream so the interop test checks the container the newer
django-redis writes: gzip.compress above min_length, plain bytes otherwise, detected on read.
"""
import gzip

from django_redis.compressors.base import BaseCompressor
from django_redis.exceptions import CompressorError


class GzipCompressor(BaseCompressor):
    min_length = 15

    def compress(self, value: bytes) -> bytes:
        if len(value) > self.min_length:
            return gzip.compress(value)
        return value

    def decompress(self, value: bytes) -> bytes:
        try:
            return gzip.decompress(value)
        except gzip.BadGzipFile as e:
            raise CompressorError from e
