"""Django's own session cycle, timed inside Python, for the peer benchmark.

Reads one JSON request on stdin:
  {"secret_key": "...", "database": "/path/to.db", "data": {...},
   "warmup": 50, "seconds": 0.3}
creates one session in Django's `db` backend (SQLite), runs `warmup` untimed
cycles, then cycles for `seconds`, and answers {"latencies": [ms, ...]}.
A cycle is what a request does: SessionStore(key), read and change one key, save().
Run with Debian's /usr/bin/python3 (python3-django).
"""
import json
import sys
import time

import django
from django.conf import settings


def main():
    request = json.load(sys.stdin)
    settings.configure(
        SECRET_KEY=request["secret_key"],
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.sessions"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": request["database"]}
        },
        SESSION_ENGINE="django.contrib.sessions.backends.db",
        SESSION_SERIALIZER="django.contrib.sessions.serializers.JSONSerializer",
    )
    django.setup()
    from django.contrib.sessions.backends.db import SessionStore

    first = SessionStore()
    first.update(request["data"])
    first.save()
    key = first.session_key

    def cycle():
        session = SessionStore(key)
        session["counter"] = session.get("counter", 0) + 1
        session.save()

    for _ in range(request["warmup"]):
        cycle()
    latencies = []
    end = time.perf_counter() + request["seconds"]
    while True:
        start = time.perf_counter()
        cycle()
        latencies.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() >= end:
            break
    print(json.dumps({"latencies": latencies}))


if __name__ == "__main__":
    main()
