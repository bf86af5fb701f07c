"""Count the bytes a Python process receives and sends through its sockets.

Linux's ``/proc/<pid>/io`` ``rchar``/``wchar`` count ``read``/``write`` calls; Python's sockets
(Django's server, http.client, urllib3 under boto3) use ``recv_into``/``send``, which it does
not count. So the benchmarks wrap those methods of ``socket.socket`` in the measured process.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

RECEIVING = ("recv", "recv_into")
SENDING = ("send", "sendall")


class SocketCounter:
    """Totals of bytes received and sent by every ``socket.socket`` while installed."""

    def __init__(self) -> None:
        self.totals = {"received": 0, "sent": 0}
        self._lock = threading.Lock()
        self._originals: dict[str, Callable[..., Any]] = {}

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.totals)

    def install(self) -> SocketCounter:
        for name in (*RECEIVING, *SENDING):
            original = getattr(socket.socket, name)
            self._originals[name] = original
            counter = "received" if name in RECEIVING else "sent"
            setattr(socket.socket, name, self._counting(original, counter))
        return self

    def uninstall(self) -> None:
        for name, original in self._originals.items():
            setattr(socket.socket, name, original)
        self._originals.clear()

    def _counting(self, method: Callable[..., Any], counter: str) -> Callable[..., Any]:
        def counted(sock: socket.socket, *args: Any, **kwargs: Any) -> Any:
            result = method(sock, *args, **kwargs)
            if result is None:  # sendall returns None once all of its argument went
                count = memoryview(args[0]).nbytes
            else:
                count = result if isinstance(result, int) else len(result)
            with self._lock:
                self.totals[counter] += count
            return result

        return counted
