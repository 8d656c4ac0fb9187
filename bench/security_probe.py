"""Security probe: the findings of the security review, checked from outside, as an
attacker would, against the production settings under gunicorn with PostgreSQL and Redis.

    flock /tmp/icma-bench.lock .venv/bin/python bench/security_probe.py

It makes a throw-away PostgreSQL database (migrated, the real directory loaded, three
staff users made with manage.py), collects the static files, and runs gunicorn with the
production settings on a free port of 127.0.0.1, its cache and page cache on Redis under
a key prefix of its own, its output captured to a file. It then talks to it over HTTP
only (Redis is read only to count the site's keys, the log only to read what it wrote),
prints one line per check, PASS or FAIL with the figures, and the number of requests
sent; and removes the database, the keys, the static files and the log. Exit status 1
when a check fails.

The server sits behind no real proxy: the probe plays the one trusted proxy
(TRUSTED_PROXY_COUNT=1, the production default) by appending the client's address to
each request's X-Forwarded-For, and plays the attacker by writing entries before it.

Self-contained on purpose: it imports nothing from the project (nor from bench/), so
that moving the project's modules does not break it; the few lines it shares with
bench/server.py are copied. Needs PostgreSQL (BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres) and Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/9). Every request goes to 127.0.0.1; every loop is bounded.
"""

import contextlib
import http.client
import http.cookies
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SETTINGS = "icma_site.settings.production"
ADMIN = "/admin"
# The production defaults the findings are about (icma_site/settings/base.py).
CORRECTIONS_PER_HOUR = 5
AXES_FAILURE_LIMIT = 5
IMPORT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# Only these of the caller's environment reach manage.py and gunicorn: a TRUSTED_PROXY_
# COUNT, AXES_* or MAX_REQUEST_BYTES set in the shell must not change what is probed.
INHERITED = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV"}

USERS = {"admin": "probe-admin", "staff": "probe-staff", "clerk": "probe-clerk"}
CREATE_USERS = """
import os
from django.contrib.auth import get_user_model
User = get_user_model()
password = os.environ["PROBE_PASSWORD"]
User.objects.create_superuser("probe-admin", "admin@example.org", password)
User.objects.create_user("probe-staff", "staff@example.org", password, is_staff=True)
User.objects.create_user("probe-clerk", "clerk@example.org", password, is_staff=True)
"""

# Check 4: (name, path, Host) for hostile request n; "{host}" is the server's own.
COUNTRY = "/countries/india/"
CANONICAL = ["/", "/partners/", COUNTRY, "/partners.csv", "/partners.json"]
HOSTILE = [
    ("Host with another port", "/partners/", "127.0.0.1:{other_port}"),
    ("directory page past the end", "/partners/?page={page}", "{host}"),
    ("country page past the end", f"{COUNTRY}?page={{page}}", "{host}"),
    ("unknown country", "/partners/?country=Q{n}", "{host}"),
    ("unused parameter on the CSV", "/partners.csv?x={n}", "{host}"),
    ("unused parameter on the JSON", "/partners.json?x={n}", "{host}"),
    ("bad filter on the JSON", "/partners.json?country=Q{n}", "{host}"),
]

REQUESTS = 0  # every HTTP request the probe sent


# --- The throw-away database, static files and server (after bench/server.py) -------


def psql(sql):
    subprocess.run(
        ["psql", POSTGRES, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


@contextlib.contextmanager
def throwaway_database(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{name}"))
    finally:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database, static_root, port, prefix):
    return {
        **{key: value for key, value in os.environ.items() if key in INHERITED},
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix,
        "PAGE_CACHE": "true",
        # Plain HTTP on 127.0.0.1: the TLS redirect would answer every request with 301.
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *arguments, extra=None):
    subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env={**env, **(extra or {})},
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Server:
    """gunicorn with the production settings, its stdout and stderr in `log`."""

    def __init__(self, env, port, log):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def __enter__(self):
        with open(self.log, "wb") as output:
            # Access log off, as in bench/server.py: the log then holds what the site and
            # gunicorn say, so one refused request should be one line.
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    "gunicorn.conf.py",
                    "--access-logfile",
                    "/dev/null",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if get("/healthz").status == 200:
                    return self
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited before it answered; see {self.log}")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_size(self):
        return self.log.stat().st_size

    def log_since(self, offset):
        time.sleep(0.5)  # Each log record is flushed as it is written; give it a moment.
        return self.log.read_bytes()[offset:].decode("utf-8", "replace")


@contextlib.contextmanager
def collected_static():
    folder = Path(tempfile.mkdtemp(prefix="icma-probe-static-"))
    env = {
        **{key: value for key, value in os.environ.items() if key in INHERITED},
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": "collectstatic-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "postgres://unused/unused",
        "STATIC_ROOT": str(folder),
    }
    try:
        manage(env, "collectstatic", "--noinput", "-v0")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class RedisKeys:
    def __init__(self, prefix):
        import redis  # third-party, not the project's

        self.client = redis.Redis.from_url(REDIS)
        self.pattern = f"{prefix}:*"

    def count(self):
        return sum(1 for _ in self.client.scan_iter(self.pattern))

    def delete_all(self):
        keys = list(self.client.scan_iter(self.pattern))
        if keys:
            self.client.delete(*keys)


# --- HTTP ---------------------------------------------------------------------------

PORT = None


class Response:
    def __init__(self, status, headers, body):
        self.status, self.body = status, body
        self.headers = headers  # list of (name, value)

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self):
        return [value for key, value in self.headers if key.lower() == "set-cookie"]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Jar:
    """A browser's cookies for 127.0.0.1, Secure ones included (the probe plays the
    TLS-terminating proxy, so the site marks them Secure)."""

    def __init__(self):
        self.values = {}

    def update(self, response):
        for line in response.cookies():
            cookie = http.cookies.SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value

    def header(self):
        return "; ".join(f"{name}={value}" for name, value in self.values.items())

    @property
    def csrf(self):
        return self.values.get("csrftoken", "")


def request(
    method, path, *, client=None, forwarded=None, jar=None, headers=None, body=None, host=None
):
    """One request on a new connection. `client`: the address the trusted proxy appends to
    X-Forwarded-For; `forwarded`: what the client itself wrote there before it."""
    global REQUESTS
    sent = {"Host": host or f"127.0.0.1:{PORT}", "Accept-Encoding": "br, gzip"}
    entries = [*([forwarded] if forwarded else []), *([client] if client else [])]
    if entries:
        sent["X-Forwarded-For"] = ", ".join(entries)
    if jar is not None and jar.values:
        sent["Cookie"] = jar.header()
    sent.update(headers or {})
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        REQUESTS += 1
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        response = Response(answer.status, answer.getheaders(), answer.read())
    finally:
        connection.close()
    if jar is not None:
        jar.update(response)
    return response


def get(path, **kwargs):
    return request("GET", path, **kwargs)


def post_form(path, fields, *, jar, content_type="application/x-www-form-urlencoded", **kwargs):
    body = urlencode({"csrfmiddlewaretoken": jar.csrf, **fields}).encode("ascii")
    headers = {"Content-Type": content_type, **kwargs.pop("headers", {})}
    return request("POST", path, jar=jar, headers=headers, body=body, **kwargs)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def csrf_jar(path, client):
    """A visitor's cookie jar holding the CSRF cookie a form page set."""
    jar = Jar()
    response = get(path, client=client, jar=jar)
    assert response.status == 200 and jar.csrf, (path, response.status, jar.values)
    return jar


def sign_in(username, password, client, *, forwarded=None, next_url=f"{ADMIN}/", jar=None):
    """(response, jar) of the admin's sign-in form, posted as `username` from `client`."""
    jar = jar or Jar()
    if not jar.csrf:
        get(f"{ADMIN}/login/", client=client, jar=jar)
    response = post_form(
        f"{ADMIN}/login/?{urlencode({'next': next_url})}",
        {"username": username, "password": password, "next": next_url},
        jar=jar,
        client=client,
        forwarded=forwarded,
    )
    return response, jar


def retry_at(response):
    """The end of the lockout as the lockout page writes it, to the second."""
    found = re.search(r'<time datetime="([^"]+)"', response.text)
    return found.group(1) if found else None


def send_large(path, content_length, content_type, chunk=64 * 1024):
    """POST a body of `content_length` bytes, declared up front, on a raw socket; stop
    sending as soon as the server answers. (status or None, body bytes sent)."""
    global REQUESTS
    REQUESTS += 1
    sent = 0
    with socket.create_connection(("127.0.0.1", PORT), timeout=30) as connection:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n"
            f"X-Forwarded-For: 203.0.113.250\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(head.encode())
        filler = b"a" * chunk
        deadline = time.monotonic() + 60
        while sent < content_length and time.monotonic() < deadline:
            readable, _, _ = select.select([connection], [], [], 0.05 if sent else 0.5)
            if readable:
                break
            try:
                piece = filler[: content_length - sent]
                connection.sendall(piece)
                sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        with contextlib.suppress(OSError):
            while len(answer) < 65536:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return (int(found.group(1)) if found else None), sent


# --- The checks -----------------------------------------------------------------------

RESULTS = []


def report(ok, name, figures):
    RESULTS.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {figures}", flush=True)


def check_cache_entries(keys):
    for path in CANONICAL:
        response = get(path)
        assert response.status == 200, (path, response.status)
    time.sleep(0.3)  # An export is stored just after its last byte is sent.
    before = keys.count()
    statuses = {}
    for n in range(100):
        _, path, host = HOSTILE[n % len(HOSTILE)]
        fields = {
            "n": n,
            "page": 100_001 + n,
            "host": f"127.0.0.1:{PORT}",
            "other_port": 1000 + n if 1000 + n != PORT else 999,
        }
        status = get(path.format(**fields), host=host.format(**fields)).status
        statuses[status] = statuses.get(status, 0) + 1
        time.sleep(0.02)
    time.sleep(0.3)
    added = keys.count() - before
    report(
        added == 0,
        "4 cache entries",
        f"{added} Redis keys added by 100 hostile requests (keys before {before}; "
        f"statuses {dict(sorted(statuses.items()))})",
    )


def check_client_address(slug):
    form = f"/partners/{slug}/correction/"
    fields = {
        "what_is_wrong": "The website address no longer works.",
        "right_value": "https://example.org/",
        "email": "",
        "homepage": "",
    }
    jar = csrf_jar(form, "192.0.2.77")
    forged = [
        post_form(form, fields, jar=jar, client="192.0.2.77", forwarded=f"198.51.100.{n}").status
        for n in range(1, 13)
    ]
    accepted = forged.count(302)
    expected = [302] * CORRECTIONS_PER_HOUR + [429] * (12 - CORRECTIONS_PER_HOUR)
    report(
        forged == expected,
        "1a forged first X-Forwarded-For entry",
        f"12 corrections from 192.0.2.77 with 198.51.100.N before it: {accepted} accepted, "
        f"{forged.count(429)} answered 429 (expected {CORRECTIONS_PER_HOUR} then 429); "
        f"statuses {forged}",
    )
    honest = [
        post_form(
            form, fields, jar=csrf_jar(form, f"203.0.113.{n}"), client=f"203.0.113.{n}"
        ).status
        for n in range(1, 13)
    ]
    report(
        honest.count(302) == 12,
        "1b honest visitors, one address each",
        f"12 visitors 203.0.113.1-12, one correction each: {honest.count(302)} accepted; "
        f"statuses {honest}",
    )


def check_lockout(password):
    clerk, staff = USERS["clerk"], USERS["staff"]
    a, b, c = "192.0.2.10", "192.0.2.11", "192.0.2.12"
    jar = Jar()
    wrong = []
    for _ in range(6):
        response, jar = sign_in(clerk, "wrong-password", a, jar=jar)
        wrong.append(response.status)
    first_locked = response
    report(
        wrong[-1] == 429 and 429 not in wrong[: AXES_FAILURE_LIMIT - 1],
        "2a lockout after failed sign-ins",
        f"6 wrong passwords for {clerk} from {a}: statuses {wrong}; "
        f"Retry-After {first_locked.header('Retry-After')}",
    )
    before_retry, before_until = first_locked.header("Retry-After"), retry_at(first_locked)
    during = []
    for _ in range(3):
        time.sleep(4)
        response, jar = sign_in(clerk, "wrong-password", a, jar=jar)
        during.append(response.status)
    right_locked, _ = sign_in(clerk, password, a, jar=jar)
    after_until = retry_at(right_locked) or retry_at(response)
    report(
        before_until is not None
        and before_until == after_until == retry_at(response)
        and during == [429, 429, 429],
        "2b attempts while locked do not extend the lock",
        f"3 more wrong passwords 4 s apart: statuses {during}; lock ends {before_until} "
        f"before, {after_until} after (Retry-After {before_retry} then "
        f"{response.header('Retry-After')})",
    )
    colleague, _ = sign_in(staff, password, a)
    elsewhere, _ = sign_in(clerk, password, b)
    report(
        right_locked.status == 429 and colleague.status == 302 and elsewhere.status == 302,
        "2c the lock is per user and address",
        f"right password for {clerk} from {a}: {right_locked.status} (expected 429); "
        f"colleague {staff} from {a}: {colleague.status} "
        f"-> {colleague.header('Location')} (expected 302); {clerk} from {b}: "
        f"{elsewhere.status} -> {elsewhere.header('Location')} (expected 302)",
    )
    jar = Jar()
    forged = []
    for n in range(1, 13):
        response, jar = sign_in(clerk, "wrong-password", c, forwarded=f"198.51.100.{n}", jar=jar)
        forged.append(response.status)
    final, _ = sign_in(clerk, password, c, forwarded="198.51.100.99", jar=jar)
    escaped = [status for status in forged[AXES_FAILURE_LIMIT:] if status != 429]
    report(
        not escaped and final.status == 429,
        "2d forged first X-Forwarded-For entries do not escape the lock",
        f"12 wrong passwords for {clerk} from {c} with 198.51.100.N before it: statuses "
        f"{forged}; {len(escaped)} not refused after the {AXES_FAILURE_LIMIT}th; then the "
        f"right password: {final.status}",
    )


def check_import_export(password, keys):
    client = "203.0.113.210"
    _, staff = sign_in(USERS["staff"], password, client)
    _, admin = sign_in(USERS["admin"], password, client)
    base = f"{ADMIN}/partners/organization"
    confirm = {
        "import_file_name": "x",
        "original_file_name": "partners.csv",
        "format": "0",
        "resource": "0",
    }
    import_page = get(f"{base}/import/", jar=staff, client=client).status
    export_page = get(f"{base}/export/", jar=staff, client=client).status
    staff_confirm = post_form(f"{base}/process_import/", confirm, jar=staff, client=client).status
    report(
        (import_page, export_page, staff_confirm) == (403, 403, 403),
        "3a staff without a partner permission",
        f"import page {import_page}, export page {export_page}, confirm step "
        f"{staff_confirm} (expected 403 each)",
    )
    assert get(f"{base}/import/", jar=admin, client=client).status == 200
    forged_names = ["../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd", "0" * 32, "%2e%2e/x"]
    answers = []
    for name in forged_names:
        response = post_form(
            f"{base}/process_import/",
            {**confirm, "import_file_name": name},
            jar=admin,
            client=client,
        )
        answers.append((response.status, response.header("Location")))
    bad_format = post_form(
        f"{base}/process_import/",
        {**confirm, "import_file_name": "../../etc/passwd", "format": "../9"},
        jar=admin,
        client=client,
    )
    answers.append((bad_format.status, bad_format.header("Location")))
    message = "Nothing was imported" in get(f"{base}/import/", jar=admin, client=client).text
    report(
        all(status == 302 and (where or "").endswith("/import/") for status, where in answers)
        and message,
        "3b forged import_file_name on the confirm step",
        f"{len(answers)} confirm steps (../../etc/passwd and others, a bad format): "
        f"statuses {sorted({status for status, _ in answers})}, to "
        f"{sorted({where for _, where in answers})}; message shown: {message}; 500s: "
        f"{sum(status >= 500 for status, _ in answers)}",
    )
    header = b"name,acronym,slug\n"
    row = b"Bulk upload probe organization,BUP,bulk-upload-probe\n"
    content = header + row * ((IMPORT_UPLOAD_MAX_BYTES + 1024 * 1024) // len(row))
    content_type, body = multipart(
        {"csrfmiddlewaretoken": admin.csrf, "format": "0", "resource": "0"},
        {"import_file": ("big.csv", content)},
    )
    keys_before = keys.count()
    upload = request(
        "POST",
        f"{base}/import/",
        jar=admin,
        client=client,
        body=body,
        headers={"Content-Type": content_type},
    )
    refused_text = "an import takes at most" in upload.text
    kept = keys.count() - keys_before
    report(
        (upload.status == 413 or (refused_text and "import_file_name" not in upload.text))
        and kept <= 0,
        "3c upload over 5 MB",
        f"{len(content) / 1024 / 1024:.1f} MB CSV: status {upload.status}, refusal message "
        f"{refused_text}, 'import_file_name' in answer {'import_file_name' in upload.text}, "
        f"Redis keys added {kept}",
    )


def check_bad_input(password, slug, server):
    offset = server.log_size()
    partner = get("/partners/%00.json").status
    log_404 = server.log_since(offset)
    country = get("/countries/%00.json").status
    report(
        (partner, country) == (404, 404),
        "5a NUL in a JSON address",
        f"/partners/%00.json {partner}, /countries/%00.json {country} (expected 404)",
    )
    form = f"/partners/{slug}/correction/"
    client = "203.0.113.240"
    jar = csrf_jar(form, client)
    utf16 = post_form(
        form,
        {"what_is_wrong": "x", "right_value": "y", "email": "", "homepage": ""},
        jar=jar,
        client=client,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    ).status
    report(utf16 == 400, "5b form in charset=utf-16", f"status {utf16} (expected 400)")
    content_type = f"multipart/form-data; boundary={uuid.uuid4().hex}"
    length = 20 * 1024 * 1024
    status, sent = send_large(form, length, content_type)
    report(
        status == 413,
        "5c 20 MB multipart body to the correction form",
        f"status {status} (expected 413) after {sent:,} of {length:,} body bytes sent",
    )
    outside = get("/healthz", client="203.0.113.5")
    inside = get("/healthz", client="127.0.0.1")
    outside_body, inside_body = json.loads(outside.body), json.loads(inside.body)
    report(
        outside.status == 200 and "database" not in outside_body and "database" in inside_body,
        "5d /healthz detail",
        f"via the proxy for 203.0.113.5: {outside.status} {outside_body}; "
        f"for 127.0.0.1 (monitoring): {inside_body}",
    )
    signed_in, _ = sign_in(
        USERS["admin"], password, "203.0.113.241", next_url="https://evil.example/"
    )
    where = signed_in.header("Location")
    report(
        signed_in.status == 302 and where == f"{ADMIN}/",
        "5e refused next= after a good sign-in",
        f"next=https://evil.example/: {signed_in.status} -> {where} (expected {ADMIN}/)",
    )
    _, staff = sign_in(USERS["staff"], password, "203.0.113.242")
    offset = server.log_size()
    forbidden = get(
        f"{ADMIN}/partners/organization/import/", jar=staff, client="203.0.113.242"
    ).status
    log_403 = server.log_since(offset)
    lines_404, lines_403 = log_404.splitlines(), log_403.splitlines()
    report(
        len(lines_404) == 1
        and len(lines_403) == 1
        and forbidden == 403
        and "Traceback" not in log_404 + log_403,
        "5f log of a refused request",
        f"404 -> {len(lines_404)} line(s) {[line[24:] for line in lines_404]}; 403 -> "
        f"{len(lines_403)} line(s) {[line[24:] for line in lines_403]}; 'Traceback' in "
        f"them: {'Traceback' in log_404 + log_403}",
    )


def main():
    global PORT
    print(
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {SETTINGS}, gunicorn, "
        f"PostgreSQL, Redis",
        flush=True,
    )
    PORT = free_port()
    prefix = f"probe-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    keys = RedisKeys(prefix)
    folder = Path(tempfile.mkdtemp(prefix="icma-probe-"))
    server_log = folder / "gunicorn.log"
    try:
        with (
            throwaway_database(f"icma_security_probe_{os.getpid()}") as database,
            collected_static() as static_root,
        ):
            env = environment(database, static_root, PORT, prefix)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "load_partners", "-v0")
            manage(env, "shell", "-c", CREATE_USERS, extra={"PROBE_PASSWORD": password})
            with Server(env, PORT, server_log) as server:
                records = json.loads(get("/partners.json").body)
                slug = next(iter(find_slugs(records)))
                check_cache_entries(keys)
                check_client_address(slug)
                check_lockout(password)
                check_import_export(password, keys)
                check_bad_input(password, slug, server)
                tracebacks = server_log.read_text(errors="replace").count("Traceback")
                report(tracebacks == 0, "log", f"{tracebacks} tracebacks in the whole server log")
    finally:
        keys.delete_all()
        shutil.rmtree(folder, ignore_errors=True)
    failed = RESULTS.count(False)
    print(
        f"{len(RESULTS) - failed} passed, {failed} failed; "
        f"{REQUESTS} requests sent, all to 127.0.0.1"
    )
    return 1 if failed else 0


def find_slugs(value):
    if isinstance(value, dict):
        if isinstance(value.get("slug"), str):
            yield value["slug"]
        for item in value.values():
            yield from find_slugs(item)
    elif isinstance(value, list):
        for item in value:
            yield from find_slugs(item)


if __name__ == "__main__":
    sys.exit(main())
