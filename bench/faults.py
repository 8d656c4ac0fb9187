"""Faults: the site under load, then the database going silent and coming back mid-run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/icma \\
        flock /tmp/icma-bench.lock .venv/bin/python bench/faults.py [--seconds 30]

Needs PostgreSQL (DATABASE_URL) and wrk. Creates a throw-away database (<name>_faults,
dropped afterwards), starts the site as production runs it (bin/serve-production:
production settings, gunicorn, its default number of workers, no Redis, so every page
is rendered from the database) with its database connections going through a TCP proxy,
then runs wrk twice against /partners/, 64 connections each time:

1. steady: the database answering throughout. Every response must be a 200.
2. fault: the proxy is frozen (forwards nothing, closes nothing, as a network partition
   or a frozen VM would) from a third of the run to two thirds, then thawed.

It prints both runs side by side: requests per second, the 503 count, other errors
(must be 0), the longest response, and, for the fault run, the seconds from the thaw
until a page answers 200 again.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.production_server import HTTPS, ProductionServer, proxied_database  # noqa: E402

PAGE = "/partners/"

# Counts responses by status in every wrk thread and prints them with the latency.
WRK_SCRIPT = """
wrk.headers["X-Forwarded-Proto"] = "https"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do io.write(string.format("status %d %d\\n", status, count)) end
  local e = summary.errors
  io.write(string.format("socket_errors %d\\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("requests %d\\n", summary.requests))
  io.write(string.format("seconds %f\\n", summary.duration / 1e6))
  io.write(string.format("longest_ms %f\\n", latency.max / 1e3))
end
"""


def status_of(server, path):
    """The status of a GET of `path` (None when the connection fails)."""
    try:
        return server.get(path, HTTPS, timeout=60)[0]
    except OSError:
        return None


def wrk(port, seconds, connections, script):
    result = subprocess.run(
        [
            "wrk",
            f"--threads={min(connections, os.cpu_count() or 1)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=60s",
            f"--script={script}",
            f"http://127.0.0.1:{port}{PAGE}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    figures = {"statuses": {}}
    for line in result.stdout.splitlines():
        if match := re.fullmatch(r"status (\d+) (\d+)", line):
            figures["statuses"][int(match[1])] = int(match[2])
        elif match := re.fullmatch(r"(socket_errors|requests|seconds|longest_ms) ([\d.]+)", line):
            figures[match[1]] = float(match[2])
    return figures


class Poller(threading.Thread):
    """Asks for the page every 50 ms beside wrk, noting when each answer came."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.answers = []  # (monotonic time of the answer, status)
        self.running = True

    def run(self):
        while self.running:
            status = status_of(self.server, PAGE)
            self.answers.append((time.monotonic(), status))
            time.sleep(0.05)

    def recovered_after(self, moment):
        """Seconds from `moment` until the first 200 that followed it, or None."""
        for answered, status in self.answers:
            if answered > moment and status == 200:
                return answered - moment
        return None


def summary(name, figures, recovery=None):
    statuses = figures["statuses"]
    other = sum(count for status, count in statuses.items() if status not in {200, 503})
    errors = int(figures.get("socket_errors", 0)) + other
    line = (
        f"{name:<8} {figures['requests'] / figures['seconds']:>9.0f} "
        f"{int(figures['requests']):>9} {statuses.get(503, 0):>6} {errors:>7} "
        f"{figures['longest_ms'] / 1000:>10.2f}"
    )
    return line + (f" {recovery:>11.2f}" if recovery is not None else f" {'-':>11}"), errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each run")
    parser.add_argument("--connections", type=int, default=64)
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the faults are a database's.")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk).")
    folder = Path(tempfile.mkdtemp(prefix="icma-faults-"))
    script = folder / "count.lua"
    script.write_text(WRK_SCRIPT)
    try:
        with (
            proxied_database(url, "faults") as (proxied_url, proxy),
            ProductionServer(proxied_url, folder) as server,
        ):
            measure(server, proxy, options, script)
    except RuntimeError as error:
        sys.exit(str(error))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(server, proxy, options, script):
    """The steady run, then the fault run, and the figures of both."""
    port, folder = server.port, server.log.parent
    print(
        f"gunicorn on 127.0.0.1:{port}, PostgreSQL through a proxy; wrk {PAGE}, "
        f"{options.connections} connections, {options.seconds} s per run",
        flush=True,
    )

    steady = wrk(port, options.seconds, options.connections, script)

    poller = Poller(server)
    freeze_at, thaw_at = options.seconds / 3, 2 * options.seconds / 3
    timeline = {}

    def fault():
        time.sleep(freeze_at)
        proxy.freeze()
        timeline["frozen"] = time.monotonic()
        time.sleep(thaw_at - freeze_at)
        proxy.thaw()
        timeline["thawed"] = time.monotonic()

    injector = threading.Thread(target=fault, daemon=True)
    poller.start()
    injector.start()
    faulty = wrk(port, options.seconds, options.connections, script)
    injector.join()
    poller.running = False
    poller.join(timeout=70)
    recovery = poller.recovered_after(timeline["thawed"])

    print(f"\nfault run: database silent from {freeze_at:.0f} s to {thaw_at:.0f} s\n")
    print(
        f"{'run':<8} {'req/s':>9} {'requests':>9} {'503s':>6} {'errors':>7} "
        f"{'longest s':>10} {'recovery s':>11}"
    )
    steady_line, steady_errors = summary("steady", steady)
    fault_line, fault_errors = summary("fault", faulty, recovery)
    print(steady_line)
    print(fault_line)
    ratio = (faulty["requests"] / faulty["seconds"]) / (steady["requests"] / steady["seconds"])
    print(f"\nfault/steady throughput: {ratio:.2f}")
    for run, figures in (("steady", steady), ("fault", faulty)):
        statuses = ", ".join(f"{n} x {c}" for n, c in sorted(figures["statuses"].items()))
        print(f"{run}: responses {statuses}; socket errors {int(figures['socket_errors'])}")
    log = (folder / "server.log").read_text(errors="replace")
    print(f"workers killed by gunicorn: {log.count('WORKER TIMEOUT')}")
    if steady_errors or steady["statuses"].get(503) or fault_errors or recovery is None:
        kept = Path(tempfile.mkdtemp(prefix="icma-faults-log-")) / "server.log"
        shutil.copy(folder / "server.log", kept)
        sys.exit(f"FAILED: errors, 503s while the database answered, or no recovery. {kept}")


if __name__ == "__main__":
    main()
