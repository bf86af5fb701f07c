"""The measured Django process: ``python -m benchmarks.serve PORT``.

Django's own WSGI server (what ``runserver --noreload`` runs, without the autoreloader and the
system checks), with the static files handler so Chromium gets the script. One process, so
/proc/<pid> describes all of Django's work, boto3's transfer threads included.

``BENCH_SERVER``: ``pool`` (the default) runs requests on a pool of ``BENCH_THREADS`` (4)
reused threads, as gunicorn's gthread workers do; ``threaded`` starts a thread per connection,
exactly as ``runserver`` does (``run(..., threading=True)``). The difference matters:
django-storages keeps one boto3 client per thread, so on ``threaded`` every request that
touches S3 builds a new client (reading botocore's JSON models again). One thread per request
also lets a browser's idle, speculative connection hold a thread, not the whole pool.

``GET /__bench__/io`` answers the bytes received and sent through the process's sockets so far
(see ``sockets.py``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.servers.basehttp import WSGIServer

from .sockets import SocketCounter


class PooledWSGIServer(WSGIServer):
    """Django's WSGI server, each connection handled on a pool of reused threads.

    Not a ``ThreadingMixIn``, so Django's handler answers ``Connection: close`` and a thread
    never sits on an idle keep-alive connection."""

    threads = int(os.environ.get("BENCH_THREADS", "4"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="request")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


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
    if backlog := os.environ.get("BENCH_BACKLOG"):  # the listen queue (Django's: 10)
        WSGIServer.request_queue_size = int(backlog)
    if os.environ.get("BENCH_SERVER", "pool") == "threaded":
        run("127.0.0.1", int(sys.argv[1]), app, threading=True)  # what runserver runs
    else:
        run("127.0.0.1", int(sys.argv[1]), app, server_cls=PooledWSGIServer)


if __name__ == "__main__":
    main()
