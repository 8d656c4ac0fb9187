"""gunicorn's configuration: `gunicorn -c gunicorn.conf.py icma_site.wsgi`.

Read from the environment: BIND, PORT, WEB_CONCURRENCY, GUNICORN_TIMEOUT,
GUNICORN_KEEPALIVE, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS and LOG_LEVEL; README.md
("Running in production") says what each means and its default. A bad value stops
gunicorn with a one-line message.
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
# Over a unix socket every request comes from the proxy, with no address of its own: only
# X-Forwarded-For tells clients apart, so without a trusted proxy they would all share
# one sign-in lockout and one corrections limit.
if any(address.startswith("unix:") for address in bind) and not setting(
    env_int, "TRUSTED_PROXY_COUNT", 1, minimum=0
):
    raise SystemExit(
        "TRUSTED_PROXY_COUNT must be at least 1 when gunicorn listens on a unix socket: "
        "only the proxy's X-Forwarded-For tells clients apart there."
    )
workers = worker_count()
worker_class = "sync"
proc_name = "icma-partners"

timeout = setting(env_int, "GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = 30
# Above the load balancer's idle timeout when it keeps connections open, so that gunicorn
# never closes one the balancer is about to reuse.
keepalive = setting(env_int, "GUNICORN_KEEPALIVE", 5, minimum=0)
# The application is loaded once, in the master, and each worker is forked from it
# (icma_site/wsgi.py warms it up there): a new worker costs a fork, not a Django
# start-up. A code change therefore needs a restart (not HUP) to take effect.
preload_app = True
# Replace each worker now and then, so that a slow leak cannot grow for ever; but rarely,
# since the requests queued behind a worker being replaced wait for it: a worker serving
# cached pages reaches a low limit within seconds, and the page cache's p99 shows it.
max_requests = setting(env_int, "GUNICORN_MAX_REQUESTS", 20000, minimum=0)
max_requests_jitter = max_requests // 10


def pre_fork(server, worker):
    """Move everything the master holds (the warmed-up application) out of the garbage
    collector's reach before each fork (Python's documentation of gc.freeze): a worker's
    collections then never write to those objects, so the pages they sit on stay shared
    with the master instead of being copied, and a new worker does not hold up the
    requests queued behind it while it copies them."""
    gc.freeze()


# The workers' heartbeat files: in memory where there is /dev/shm (containers' disks can
# stall them).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# "*" only when nothing but the proxy can reach gunicorn.
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
