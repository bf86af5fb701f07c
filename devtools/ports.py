"""Free TCP ports on loopback."""

from __future__ import annotations

import socket


def port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:``port`` now."""
    with socket.socket() as s:
        # As servers do: connections of a server stopped a moment ago do not hold the port.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(count: int, also_free_at: int = 0) -> list[int]:
    """``count`` distinct free ports; with ``also_free_at``, each port + that offset is free
    too (SeaweedFS opens each HTTP port's gRPC port at +10000)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port in ports:
            continue
        if also_free_at and (port + also_free_at > 65535 or not port_free(port + also_free_at)):
            continue
        ports.append(port)
    return ports
