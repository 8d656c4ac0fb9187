"""gunicorn's configuration: `gunicorn -c gunicorn.conf.py icma_site.wsgi`.

Read from the environment:

  BIND                 addresses to listen on, comma-separated (host:port or unix:path)
  PORT                 when BIND is unset: listen on 0.0.0.0:$PORT (all interfaces);
                       with neither, 127.0.0.1:8000 (a proxy on the same machine)
  WEB_CONCURRENCY      the most worker processes; default and ceiling: 2 x CPUs + 1
  GUNICORN_TIMEOUT     seconds a request may take before its worker is restarted (30)
  GUNICORN_KEEPALIVE   seconds to keep an idle client connection open (5); set it above
                       the load balancer's idle timeout when one keeps connections open
  GUNICORN_MAX_REQUESTS  requests after which a worker is replaced (20000, give or take
                       a tenth); 0: never
  FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers gunicorn trusts
                       (default 127.0.0.1,::1; "*" when only the proxy can reach gunicorn)
  LOG_LEVEL            the log level, any case: debug, info, warning, error, critical
"""

import gc
import os

from django.core.exceptions import ImproperlyConfigured

from icma_site.settings.environment import env_int

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def setting(parse, *arguments, **options):
    """A value parsed as the Django settings parse theirs; a bad one stops gunicorn with
    the parser's one-line message."""
    try:
        return parse(*arguments, **options)
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))  # The CPUs this process may use (containers).
    except AttributeError:
        return os.cpu_count() or 1


def worker_count():
    workers = 2 * cpu_count() + 1
    ceiling = setting(env_int, "WEB_CONCURRENCY", None, minimum=1)
    return min(workers, ceiling) if ceiling else workers


def bind_addresses():
    if os.environ.get("BIND", "").strip():
        return [address.strip() for address in os.environ["BIND"].split(",") if address.strip()]
    if os.environ.get("PORT", "").strip():
        return [f"0.0.0.0:{os.environ['PORT'].strip()}"]
    return ["127.0.0.1:8000"]


wsgi_app = "icma_site.wsgi:application"
bind = bind_addresses()
workers = worker_count()
worker_class = "sync"
proc_name = "icma-partners"

timeout = setting(env_int, "GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = 30
keepalive = setting(env_int, "GUNICORN_KEEPALIVE", 5, minimum=0)
# The application is loaded once, in the master, and each worker is forked from it
# (icma_site/wsgi.py warms it up there): a new worker costs a fork, not a Django
# start-up. A code change therefore needs a restart (not HUP) to take effect.
preload_app = True
# Replace each worker now and then, so that a slow leak cannot grow for ever; but rarely:
# at 1,000 a worker serving cached pages (about 700 a second each) was replaced every
# second or two, and the requests queued behind each replacement made the page cache's
# p99 latency 400 ms instead of 13 (bench/throughput.py, 2026-11-29).
max_requests = setting(env_int, "GUNICORN_MAX_REQUESTS", 20000, minimum=0)
max_requests_jitter = max_requests // 10


def pre_fork(server, worker):
    """Move everything the master holds (the warmed-up application) out of the garbage
    collector's reach before each fork (Python's documentation of gc.freeze): a worker's
    collections then never write to those objects, so the pages they sit on stay shared
    with the master instead of being copied. With workers replaced every 1,000 requests
    the page cache's p99 was 586 to 1,060 ms without this and 148 to 202 ms with it
    (a loaded machine, 2026-11-29)."""
    gc.freeze()


# The workers' heartbeat files: in memory where there is /dev/shm (containers' disks can
# stall them).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log to standard output, gunicorn's own messages to standard error. The client's
# address comes from the proxy's X-Forwarded-For; %(D)s is the time taken in microseconds.
accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").strip().lower()
if loglevel not in LOG_LEVELS:
    raise SystemExit(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; not {loglevel!r}.")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(D)sus'

# gunicorn 25+ opens a control socket at a fixed path ($XDG_RUNTIME_DIR or ~/.gunicorn):
# several instances on one machine would fight over it, and nothing here uses it.
control_socket_disable = True
