"""The measured Django process: ``python -m benchmarks.serve PORT``.

Django's own WSGI server (what ``runserver --noreload`` runs, without the autoreloader and the
system checks), with the static files handler so Chromium gets the script. One process, so
/proc/<pid> describes all of Django's work, boto3's transfer threads included.

``BENCH_THREADING=0`` serves one request at a time in the main thread, as a gunicorn sync
worker does: django-storages keeps one boto3 client per thread, and a thread per request (what
``runserver`` does) would build a new client, reading botocore's JSON models again, for every
request, which no production server does.

Bytes through the process's sockets are counted here: Linux's ``rchar``/``wchar`` count
``read``/``write`` calls, and Python's sockets use ``recv``/``send``. ``GET /__bench__/io``
answers the totals so far.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

counters = {"received": 0, "sent": 0}
_lock = threading.Lock()


def _counting(method: Callable[..., Any], counter: str) -> Callable[..., Any]:
    def counted(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        if result is None:  # sendall: all of its argument went
            count = memoryview(args[0]).nbytes
        else:
            count = result if isinstance(result, int) else len(result)
        with _lock:
            counters[counter] += count
        return result

    return counted


def count_socket_bytes() -> None:
    """Count every byte received and sent through Python's sockets in this process."""
    for name, counter in (("recv", "received"), ("recv_into", "received")):
        setattr(socket.socket, name, _counting(getattr(socket.socket, name), counter))
    for name in ("send", "sendall"):
        setattr(socket.socket, name, _counting(getattr(socket.socket, name), "sent"))


def with_counters(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/__bench__/io":
            with _lock:
                body = json.dumps(counters).encode()
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return app(environ, start_response)

    return wrapped


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    count_socket_bytes()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    app = with_counters(StaticFilesHandler(get_wsgi_application()))
    threading_on = os.environ.get("BENCH_THREADING", "1") != "0"
    run("127.0.0.1", int(sys.argv[1]), app, threading=threading_on)


if __name__ == "__main__":
    main()
