"""What the benchmarks share: a throw-away PostgreSQL database filled to a size, the site
under gunicorn with production settings, and wrk.

Not a benchmark itself. Every server binds 127.0.0.1 on a free port; every database and
cache key prefix is the run's own and is removed afterwards.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
BROWSER_ENCODING = "br, gzip"


def machine():
    """One line about where the figures were measured."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({cpu}), Python {sys.version.split()[0]}"


def database_url(name, server=None):
    server = server or os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def psql(sql, server=None):
    server = server or os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    subprocess.run(
        ["psql", server, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def throwaway_database(name):
    """A new, empty PostgreSQL database called `name`, dropped afterwards."""
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_in_process(url):
    """Set Django up in this process (test settings) on the database at `url`."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fill(total):
    """Migrate, load the real directory and grow it to `total` organizations with the
    test suite's helper; then VACUUM ANALYZE, as autovacuum would soon do."""
    from django.core.management import call_command
    from django.db import connection

    from partners.models import Organization
    from tests.factories import grow_directory_to

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_partners", verbosity=0)
    if total > Organization.objects.count():
        grow_directory_to(total)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Organization.objects.count()


@contextlib.contextmanager
def shared_cache(url):
    """Django's cache on the Redis server at `url`, as in production (so the directory's
    lookups are kept, partners/listing/lookups.py), under a key prefix of its own, whose keys are
    deleted afterwards. For a benchmark that runs Django in its own process."""
    import redis
    from django.test.utils import override_settings

    prefix = f"bench-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "icma_site.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, DIRECTORY_LOOKUPS_CACHED=True):
        try:
            yield
        finally:
            client = redis.Redis.from_url(url)
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The site under gunicorn, production settings, on 127.0.0.1."""

    def __init__(self, url, static_root, page_cache, workers=4, redis=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "icma_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": url,
            "REDIS_URL": redis or os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            "PAGE_CACHE": "true" if page_cache else "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(static_root),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "LOG_LEVEL": "WARNING",
        }
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=self.environment,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response,
            ):
                if response.status == 200:
                    return self
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited before it answered")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(Exception):
            import redis

            client = redis.Redis.from_url(self.environment["REDIS_URL"])
            keys = list(client.scan_iter(f"{self.environment['CACHE_KEY_PREFIX']}:*"))
            if keys:
                client.delete(*keys)

    def cpu_seconds(self):
        """CPU time (user + system) used so far by this gunicorn: its master and workers,
        living or exited (a worker replaced after max_requests is counted by the master's
        children times). Measured per request, it does not depend on what else the
        machine runs, as req/s does."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                # After the command: state, ppid, pgrp, …; utime, stime, cutime, cstime at 11-14.
                if int(fields[2]) == self.process.pid:
                    total += sum(int(value) for value in fields[11:15]) / tick
        return total

    def get(self, path, encoding=BROWSER_ENCODING):
        """(status, headers, body as sent) for `path`."""
        request = urllib.request.Request(
            f"{self.base}{path}", headers={"Accept-Encoding": encoding} if encoding else {}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()


@contextlib.contextmanager
def collected_static():
    """A STATIC_ROOT with the site's static files collected as in production (hashed
    names, gzip and Brotli copies), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="icma-bench-static-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icma_site.settings.production",
        "SECRET_KEY": "collectstatic-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://unused/unused"),
        "STATIC_ROOT": str(folder),
    }
    try:
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def require_wrk():
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (Debian: apt-get install wrk).")


def wrk(url, seconds, connections=16, threads=2, encoding=BROWSER_ENCODING, site=None):
    """{"rps": …, "p50": ms, "p99": ms, "errors": n, "requests": n} from a wrk run against
    `url`; with `site`, also "cpu_ms": the site's CPU time per request."""
    cpu_before = site.cpu_seconds() if site else None
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if encoding:
        command += ["-H", f"Accept-Encoding: {encoding}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    cpu = site.cpu_seconds() - cpu_before if site else None
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
        "requests": requests,
        "cpu_ms": cpu * 1000 / requests if cpu is not None and requests else None,
    }


def milliseconds(text):
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]
