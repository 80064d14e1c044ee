"""A throw-away PostgreSQL server on loopback for the portability test (bin/test installs the server).

initdb into a fresh directory, trust authentication, a free port on 127.0.0.1 and the socket in the
data directory; stopped and removed on exit. PostgreSQL refuses to run as root: as root, the server
runs as the `postgres` user that Debian's package creates.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    dbname: str


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl, or None when no PostgreSQL server is installed."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    return (initdb, pg_ctl) if initdb and pg_ctl else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[Server]:
    found = binaries()
    if found is None:
        raise RuntimeError("no PostgreSQL server found (initdb, pg_ctl): bin/test installs it with "
                           "`apt-get install postgresql`; on another system install PostgreSQL >= 15")
    initdb, pg_ctl = found
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    user = "postgres" if as_root else os.environ.get("USER", "postgres")
    base = tempfile.mkdtemp(prefix="socialroi-pg-")
    data = os.path.join(base, "data")
    if as_root:
        shutil.chown(base, "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run([*prefix, initdb, "-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C"], **run)
        subprocess.run([*prefix, pg_ctl, "-D", data, "-w", "-t", "60", "-l", os.path.join(base, "log"), "-o",
                        f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off -c full_page_writes=off", "start"], **run)
        try:
            yield Server("127.0.0.1", port, user, "postgres")
        finally:
            subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
