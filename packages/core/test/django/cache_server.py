"""A Django process with the reference CACHES layout, driven over stdin/stdout by the interop tests.

Each request is one JSON line {"id", "alias", "op", "args", "kwargs"}; the answer is one JSON line
{"id", "ok": result} or {"id", "error": "<Python exception type>: <message>"}. `op` is a method of
django.core.cache.caches[alias] (get, set, incr, ttl, get_many, incr_version, ...). The topology
comes from the environment: SENTINELS ("host:port,host:port"), MASTER_NAME, REDIS_PASSWORD.
"""
import json
import os
import sys

import django
from django.conf import settings


def cache(db, prefix, **options):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://{os.environ['MASTER_NAME']}/{db}",
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.SentinelClient",
            "CONNECTION_POOL_CLASS": "redis.sentinel.SentinelConnectionPool",
            "SENTINELS": [
                (host, int(port))
                for host, port in (s.rsplit(":", 1) for s in os.environ["SENTINELS"].split(","))
            ],
            "PASSWORD": os.environ.get("REDIS_PASSWORD") or None,
            "SERIALIZER": "django_redis.serializers.json.JSONSerializer",
            **options,
        },
    }


settings.configure(
    DJANGO_REDIS_CONNECTION_FACTORY="django_redis.pool.SentinelConnectionFactory",
    CACHES={
        "default": cache(0, "dj"),
        "hp": cache(1, "dj:bi"),
        "zipped": cache(0, "zip", COMPRESSOR="django_redis.compressors.zlib.ZlibCompressor"),
        "gz": cache(0, "gz", COMPRESSOR="gzip_compressor.GzipCompressor"),
        "mp": cache(0, "mp", SERIALIZER="django_redis.serializers.msgpack.MSGPackSerializer"),
    },
)
django.setup()

from django.core.cache import caches  # noqa: E402  (needs settings first)


def answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


caches["default"].get("readiness-probe")
answer({"ready": True})

for line in sys.stdin:
    request = json.loads(line)
    try:
        method = getattr(caches[request["alias"]], request["op"])
        result = method(*request.get("args", []), **request.get("kwargs", {}))
        if isinstance(result, dict):
            result = dict(result)
        answer({"id": request["id"], "ok": result})
    except Exception as error:  # every failure goes back to the test, which decides
        answer({"id": request["id"], "error": f"{type(error).__name__}: {error}"})
