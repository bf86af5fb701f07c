"""The measured Django process: ``python -m benchmarks.serve PORT``.

Django's own WSGI server (what ``runserver --noreload`` runs, without the autoreloader and the
system checks), with the static files handler so Chromium gets the script. One process, so
/proc/<pid> describes all of Django's work, boto3's transfer threads included.

``BENCH_THREADING=0`` serves one request at a time in the main thread, as a gunicorn sync
worker does: django-storages keeps one boto3 client per thread, and a thread per request (what
``runserver`` does) would build a new client, reading botocore's JSON models again, for every
request, which no production server does.

``GET /__bench__/io`` answers the bytes received and sent through the process's sockets so far
(see ``sockets.py``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from .sockets import SocketCounter


def with_counter(
    app: Callable[..., Iterable[bytes]], counter: SocketCounter
) -> Callable[..., Iterable[bytes]]:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/__bench__/io":
            body = json.dumps(counter.snapshot()).encode()
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return app(environ, start_response)

    return wrapped


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    counter = SocketCounter().install()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    app = with_counter(StaticFilesHandler(get_wsgi_application()), counter)
    threading = os.environ.get("BENCH_THREADING", "1") != "0"
    run("127.0.0.1", int(sys.argv[1]), app, threading=threading)


if __name__ == "__main__":
    main()
