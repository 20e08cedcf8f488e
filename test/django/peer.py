"""A real Django, as a peer for wire-compatibility tests.

Reads one JSON request on stdin and answers one JSON line on stdout:
  {"engine": "db" | "file" | "signed_cookies", "secret_key": "...",
   "database": "/path/to.db", "file_path": "/dir", "cookie_name": "sessionid",
   "op": "write", "data": {...}, "expiry": 3600 | null}  -> {"key": "..."}
  {..., "op": "read", "key": "..."}                     -> {"key": ... | null, "data": {...}}
Run with Debian's /usr/bin/python3 (python3-django).
"""
import json
import sys

import django
from django.conf import settings


def configure(request):
    settings.configure(
        SECRET_KEY=request["secret_key"],
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.sessions"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": request.get("database") or ":memory:",
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends." + request["engine"],
        SESSION_FILE_PATH=request.get("file_path"),
        SESSION_COOKIE_NAME=request.get("cookie_name", "sessionid"),
        SESSION_SERIALIZER="django.contrib.sessions.serializers.JSONSerializer",
    )
    django.setup()


def main():
    request = json.load(sys.stdin)
    configure(request)
    from importlib import import_module

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if request["op"] == "write":
        session = store_class()
        session.update(request["data"])
        if request.get("expiry") is not None:
            session.set_expiry(request["expiry"])
        session.save()
        print(json.dumps({"key": session.session_key}))
    elif request["op"] == "read":
        session = store_class(request["key"])
        data = dict(session.items())
        print(json.dumps({"key": session.session_key, "data": data}))
    else:
        raise SystemExit("unknown op " + request["op"])


if __name__ == "__main__":
    main()
