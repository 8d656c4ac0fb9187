"""The README's production command (bin/serve-production: migrate, load, collectstatic,
gunicorn with the production settings) started for real on 127.0.0.1, and a PostgreSQL
database of its own reached through a TcpProxy. Used by tests/test_production_gunicorn.py
and bench/faults.py."""

import contextlib
import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg

from tests.tcp_proxy import TcpProxy, free_port

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}  # What the TLS-terminating proxy adds.
# Settings of the caller's environment that must not leak into the server's.
NOT_INHERITED = {"REDIS_URL", "PAGE_CACHE", "DEBUG", "RELEASE", "PORT", "BIND"}


@contextlib.contextmanager
def proxied_database(url, suffix):
    """A fresh database <the name in `url`>_<suffix> on the PostgreSQL server of `url`,
    dropped afterwards: yields (its URL through a TcpProxy, the proxy)."""
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_{suffix}"
    maintenance = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{name}"')
        proxy = TcpProxy((config["HOST"] or "127.0.0.1", int(config["PORT"] or 5432)))
        proxy.start()
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)
        credentials = f"{netloc[0]}@" if len(netloc) == 2 else ""
        try:
            yield (
                parts._replace(
                    netloc=f"{credentials}127.0.0.1:{proxy.port}", path=f"/{name}"
                ).geturl(),
                proxy,
            )
        finally:
            proxy.stop()
            maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ProductionServer:
    """bin/serve-production on a free port of 127.0.0.1, its output in `folder`/server.log.
    A context manager: entering waits until /healthz answers 200; leaving stops gunicorn
    and its workers."""

    def __init__(self, database_url, folder, **settings):
        self.port = free_port()
        self.log = Path(folder) / "server.log"
        self.environment = {
            key: value
            for key, value in os.environ.items()
            if key not in NOT_INHERITED and not key.startswith("DJANGO_")
        }
        self.environment.update(
            DJANGO_SETTINGS_MODULE="icma_site.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url,
            STATIC_ROOT=str(Path(folder) / "static"),
            BIND=f"127.0.0.1:{self.port}",
            PYTHON=sys.executable,
        )
        self.environment.update(settings)
        self.process = None

    def __enter__(self):
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [str(ROOT / "bin" / "serve-production")],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Its own process group: gunicorn and its workers.
            )
        try:
            deadline = time.monotonic() + 120
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"The server stopped:\n{self.output()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"The server did not start:\n{self.output()}")
                with contextlib.suppress(OSError):
                    if self.get("/healthz")[0] == 200:
                        return self
                time.sleep(0.25)
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn stops its workers and exits.
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def get(self, path, headers=None, host="127.0.0.1", timeout=30):
        """(status, headers, body) of a GET of `path`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def output(self):
        return self.log.read_text(encoding="utf-8", errors="replace")
