"""Instructions per request: the CPU work of an uncached page, counted rather than timed,
for this code and, with --against, another revision's, side by side.

    .venv/bin/python bench/instructions.py [PATH ...] [--against REV] [--requests 10]
        [--redis redis://127.0.0.1:6379/9]

Each page runs under valgrind's callgrind, which counts the instructions the Python
process executes. The count barely moves from run to run, whatever else the machine is
doing, where the time of the same page swings by a fifth between runs on a shared
2-core machine: a change that saves 3% shows here and is lost in timings.

As in bench/profile.py: a throw-away test database (DATABASE_URL: PostgreSQL, or SQLite
by default) with the real directory, Django's test client, no page cache, and Redis as
the cache (--redis), so that the directory's lookups are kept as in production. Only the
requests are counted: after ten uncounted ones, they run inside a call to the C
library's qsort, which Python itself never calls, and callgrind counts only inside it
(--toggle-collect). With PostgreSQL, what the process waits for (the database, Redis) is
not counted: this is the web server's own work. SQLite runs inside the process, so with
it the database's work is counted too.

With --against REV, REV is checked out in a throw-away git worktree (its translations
compiled, as `dev.py install` does), and each page is counted there too, in parallel
(each process has its own test database). Needs valgrind (Debian: `apt-get install
valgrind`). A run under valgrind is about fifty times slower: each page takes a minute or
so, most of it migrating the test database; run it under the benchmarks' flock, since
it keeps both CPUs busy.
"""

import argparse
import contextlib
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The functions whose calls callgrind counts (and nothing outside them): qsort and
# qsort_r, which glibc's qsort jumps into and which calls the comparison. Called through
# ctypes on Debian 12's glibc, "qsort" alone counts a few thousand instructions, "*qsort*"
# the requests; a C library that behaves otherwise is caught by FEWEST_PLAUSIBLE.
COUNTED = "*qsort*"
# Fewer instructions than this per request means the counting missed the requests.
FEWEST_PLAUSIBLE = 1_000_000
DEFAULT_PAGES = ["/partners/", "/partners/?q=municipal", "/partners/?q=salga", "/es/partners/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--against", metavar="REV", help="also count REV's code (a git rev)")
    parser.add_argument("--requests", type=int, default=10, help="requests counted per page")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--count-in", metavar="TREE", help=argparse.SUPPRESS)  # The child.
    options = parser.parse_args()
    if options.count_in:
        count_requests(Path(options.count_in), options.paths, options.requests, options.redis)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed: apt-get install valgrind")
    with worktree(options.against) if options.against else contextlib.nullcontext() as other:
        trees = {"this code": ROOT}
        if other is not None:
            trees = {options.against: other, **trees}
        report(options, trees)


@contextlib.contextmanager
def worktree(rev):
    """A throw-away git worktree of `rev`, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="icma-instructions-"))
    try:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), rev],
            check=True,
        )
        # The .mo files are built, not committed: without them the other languages'
        # pages would be measured untranslated.
        subprocess.run(
            [sys.executable, "manage.py", "translations", "--compile"],
            cwd=folder,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield folder
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)])
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"])
        shutil.rmtree(folder, ignore_errors=True)


def report(options, trees):
    print(f"Instructions per uncached request (callgrind), {options.requests} requests each")
    names = list(trees)
    header = f"{'page':<32}" + "".join(f"{name:>16}" for name in names)
    print(header + ("  ratio" if len(names) == 2 else ""))
    for path in options.paths:
        with ThreadPoolExecutor(max_workers=len(trees)) as pool:
            counts = list(
                pool.map(partial(instructions, path=path, options=options), trees.values())
            )
        line = f"{path:<32}" + "".join(f"{count / 1e6:>14.1f} M" for count in counts)
        if len(counts) == 2:
            line += f"  {counts[1] / counts[0]:5.2f}"
        print(line, flush=True)


def instructions(tree, path, options):
    """Instructions per request of `path` with `tree`'s code."""
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--toggle-collect={COUNTED}",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(Path(__file__).resolve()),
        "--count-in",
        str(tree),
        "--requests",
        str(options.requests),
        "--redis",
        options.redis,
        path,
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    collected = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or collected is None:
        sys.exit(f"{path} in {tree} failed:\n{run.stdout}{run.stderr[-3000:]}")
    per_request = int(collected.group(1)) / options.requests
    if per_request < FEWEST_PLAUSIBLE:
        sys.exit(f"{path} in {tree}: {per_request:.0f} instructions a request: not counted")
    return per_request


def count_requests(tree, paths, requests, redis_url):
    """In the child process under callgrind: `tree`'s Django, its test database, and the
    counted requests inside qsort."""
    from bench import server  # This file's, before `tree` comes first on the path.

    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["DJANGO_SETTINGS_MODULE"] = "icma_site.settings.test"
    # Under valgrind a request takes fifty times as long: no deadline on its database
    # waits (icma_site/middleware.py), which would turn slow requests into 503s.
    os.environ["DATABASE_REQUEST_TIMEOUT"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if connection.vendor == "postgresql":  # Its own, so that two trees count at once.
        connection.settings_dict["TEST"]["NAME"] = f"test_icma_instructions_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with server.shared_cache(redis_url):
            call_command("load_partners", verbosity=0)
            client = Client(headers={"accept-encoding": "br, gzip"})
            for path in paths:
                for _ in range(10):
                    assert client.get(path).status_code == 200, path
            answers = []  # The counted requests' status codes.

            def comparison(first, second):
                if not answers:  # qsort may compare more than once; count one run.
                    for _ in range(requests):
                        for path in paths:
                            answers.append((path, client.get(path).status_code))
                return 0

            compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
            pair = (ctypes.c_int * 2)(1, 2)
            libc = ctypes.CDLL(None)
            libc.qsort(pair, 2, ctypes.sizeof(ctypes.c_int), compare(comparison))
            # ctypes swallows an exception in the comparison: check afterwards.
            failed = [(path, status) for path, status in answers if status != 200]
            assert answers and not failed, f"requests failed: {failed[:5]}"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
