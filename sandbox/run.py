#!/usr/bin/env python
"""Start the sandbox: ``python sandbox/run.py`` (``make sandbox`` creates the venv first).

Starts the embedded SeaweedFS (unless another storage is chosen), migrates the SQLite
database, creates the superuser, seeds demo content, starts Django's development server and
prints the URLs. Ctrl-C stops both servers. A rerun reuses the database and the stored files,
all under ``sandbox/var/``.

Environment variables:
    SANDBOX_STORAGE   seaweedfs (default) | filesystem | s3 (see sandbox/settings.py)
    SANDBOX_PORT      Django's port, 8000
    SANDBOX_S3_PORT   the embedded SeaweedFS's S3 port, 8333
    SANDBOX_VAR_DIR   database, media files and SeaweedFS data, sandbox/var/<mode>
    AWS_*             the bucket and credentials of the s3 mode
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``sandbox`` and ``devtools`` importable
    sys.path.insert(0, str(ROOT))

from devtools.ports import port_free  # noqa: E402
from devtools.processes import stop_group, wait_until_up  # noqa: E402
from devtools.seaweedfs import SeaweedFS  # noqa: E402
from sandbox import SEAWEEDFS_BUCKET, default_var_dir  # noqa: E402
from sandbox.demo.seed import SUPERUSER  # noqa: E402

MANAGE = ROOT / "sandbox" / "manage.py"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
MODES = ("seaweedfs", "filesystem", "s3")


@dataclass(frozen=True)
class Sandbox:
    """What the environment asks of the sandbox, and the environment its commands run in."""

    mode: str
    var_dir: Path
    port: int = 8000
    s3_port: int = 8333

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Sandbox:
        mode = environ.get("SANDBOX_STORAGE") or "seaweedfs"
        if mode not in MODES:
            raise SystemExit(f"SANDBOX_STORAGE={mode!r}: use one of {', '.join(MODES)}.")
        if mode == "s3" and not environ.get("AWS_STORAGE_BUCKET_NAME"):
            raise SystemExit("SANDBOX_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and credentials).")
        return cls(
            mode=mode,
            var_dir=Path(environ.get("SANDBOX_VAR_DIR") or default_var_dir(mode)).resolve(),
            port=int(environ.get("SANDBOX_PORT") or cls.port),
            s3_port=int(environ.get("SANDBOX_S3_PORT") or cls.s3_port),
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The environment of ``manage.py`` commands: this process's, plus the sandbox's."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sandbox.settings",
            "SANDBOX_STORAGE": self.mode,
            "SANDBOX_VAR_DIR": str(self.var_dir),
            "SANDBOX_PORT": str(self.port),
            "SANDBOX_S3_PORT": str(self.s3_port),
            "PYTHONUNBUFFERED": "1",  # the server's log in order with ours
        }


def manage(env: dict[str, str], *args: str) -> None:
    """Run ``sandbox/manage.py *args``; raise ``CalledProcessError`` if it fails."""
    subprocess.run([sys.executable, str(MANAGE), *args], env=env, cwd=ROOT, check=True)


def set_up(env: dict[str, str]) -> None:
    """Migrate the database, create the superuser and seed the demo content (rerunnable)."""
    manage(env, "setup_sandbox")


def start_server(env: dict[str, str], port: int, reload: bool = True) -> subprocess.Popen:
    """Start ``runserver`` on 127.0.0.1:``port``; stop it with ``stop_server``.

    It runs in a process group of its own, so that a Ctrl-C reaches only this script, which
    then stops the server (and its autoreloader's child) and SeaweedFS in order.
    """
    args = [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{port}"]
    if not reload:
        args.append("--noreload")
    return subprocess.Popen(
        args, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True
    )


def stop_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop the server's process group as Ctrl-C would; kill it if it does not stop."""
    stop_group(process, first=signal.SIGINT, timeout=timeout)


def start_seaweedfs(sandbox: Sandbox) -> SeaweedFS:
    """Start SeaweedFS, its data in ``var_dir/s3``, with the bucket.

    The bucket's CORS and lifecycle rules are left to ``manage.py s3file_bucket --apply``
    (``set_up`` runs it), as for a real bucket.
    """
    print(f"Starting SeaweedFS on 127.0.0.1:{sandbox.s3_port}...", flush=True)
    server = SeaweedFS(sandbox.var_dir / "s3", s3_port=sandbox.s3_port).start()
    client = server.client()
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=SEAWEEDFS_BUCKET)
    return server


def storage_line(sandbox: Sandbox) -> str:
    if sandbox.mode == "seaweedfs":
        return (
            f"SeaweedFS, S3 API on http://127.0.0.1:{sandbox.s3_port}, bucket "
            f"“{SEAWEEDFS_BUCKET}”, data in {sandbox.var_dir / 's3'}"
        )
    if sandbox.mode == "filesystem":
        return (
            f"FileSystemStorage in {sandbox.var_dir / 'media'}; browsers upload to "
            f"{sandbox.url}/__s3file__/ (s3file's dev endpoint)"
        )
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL") or "AWS"
    return f"bucket “{os.environ['AWS_STORAGE_BUCKET_NAME']}” on {endpoint}"


def banner(sandbox: Sandbox) -> str:
    username, password = SUPERUSER
    rows = [
        ("Demo form", f"{sandbox.url}/"),
        ("Django admin", f"{sandbox.url}/admin/"),
        ("Wagtail admin", f"{sandbox.url}/cms/"),
        ("Wagtail page", f"{sandbox.url}/pages/direct-uploads/"),
    ]
    lines = [f"  {label:<15}{url}" for label, url in rows]
    return "\n".join(
        [
            "",
            "The django-s3file sandbox is running.",
            *lines,
            f"  {'Log in as':<15}{username} / {password}",
            f"  {'Storage':<15}{storage_line(sandbox)}",
            "Ctrl-C stops it; running it again reuses the database and the files.",
            "",
        ]
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    sandbox = Sandbox.from_environ()
    # Explicit handlers: a shell starts background jobs with SIGINT ignored, and SIGTERM
    # (`kill`) or SIGHUP (the terminal closed) must clean up as Ctrl-C does: the servers run
    # in sessions of their own, which those signals would not reach.
    for sig in STOP_SIGNALS:
        signal.signal(sig, _interrupt)
    ports = {"SANDBOX_PORT": sandbox.port}
    if sandbox.mode == "seaweedfs":
        ports["SANDBOX_S3_PORT"] = sandbox.s3_port
    for variable, port in ports.items():
        if not port_free(port):
            raise SystemExit(
                f"Port {port} is in use (by an earlier sandbox still running?): stop that, "
                f"or choose another port with {variable}."
            )
    sandbox.var_dir.mkdir(parents=True, exist_ok=True)
    env = sandbox.env()
    seaweedfs: SeaweedFS | None = None
    server: subprocess.Popen | None = None
    try:
        if sandbox.mode == "seaweedfs":
            seaweedfs = start_seaweedfs(sandbox)
        set_up(env)
        server = start_server(env, sandbox.port)
        wait_until_up(sandbox.url + "/", server)
        print(banner(sandbox), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    except (subprocess.CalledProcessError, RuntimeError) as e:
        print(f"The sandbox did not start: {e}", file=sys.stderr)
        return 1
    finally:
        # A second Ctrl-C must not leave a server behind; each stop below is bounded.
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        print("\nStopping the sandbox...", flush=True)
        if server is not None:
            stop_server(server)
        if seaweedfs is not None:
            # weed's own shutdown now and then stalls; stop() kills it after 10 s.
            print("Stopping SeaweedFS...", flush=True)
            seaweedfs.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
