#!/usr/bin/env python3
"""Set up, serve and test the ICMA partner directory with nothing but Python 3.11+.

    python3 dev.py serve   # virtualenv + install + migrate + load the data + serve on :8000
    python3 dev.py test    # virtualenv + install + the whole test suite
    python3 dev.py messages [--check]  # collect (or check) the translations' strings

Arguments after `test` go to pytest; the tests run in one process per core (up to four,
pytest-xdist) unless they say otherwise (`-n 0`). Every command compiles the Spanish and
French translations (locale/) first.

The virtual environment lives in .venv/ and is reinstalled only when pyproject.toml
changes. `install` and `test` also fetch, with npm, the checkers some tests run from the
npm registry into .venv/share/: axe-core (accessibility, in Chromium) and the Nu HTML
Checker (with Java). Uses SQLite unless DATABASE_URL is set.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"
# Checkers the tests run, from the npm registry, pinned: version, the registry's integrity
# hash of the tarball, and the files kept (path in the package, name in .venv/share/).
# axe-core is the accessibility engine run in Chromium (tests/test_accessibility.py);
# vnu-jar is the Nu HTML Checker, run with Java (tests/test_html_validity.py).
NPM_TOOLS = {
    "axe-core": (
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76"
        "ASyFNNtuFooJpZe37OgudVGtQ==",
        {"axe.min.js": "axe.min.js", "LICENSE": "LICENSE"},
    ),
    "vnu-jar": (
        "26.9.27",
        "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0Sg"
        "hgBX6RJRNea0KA==",
        {"build/dist/vnu.jar": "vnu.jar", "LICENSE": "LICENSE"},
    ),
}
SHARE = VENV / "share"


def run(*command, **kwargs):
    print("+", " ".join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], cwd=ROOT, check=True, **kwargs)


def ensure_environment():
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on any python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not has_pip():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as error:
            sys.exit(
                f"Could not create a virtual environment with pip ({error}). On Debian or "
                "Ubuntu, install it first: sudo apt-get install python3-venv"
            )
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != fingerprint:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(fingerprint)


def ensure_npm_tools():
    """Put each of NPM_TOOLS in .venv/share/<name>-<version>/, fetched with `npm pack` and
    checked against its pinned integrity hash. Without npm the tests that need them
    cannot run: they are skipped, and fail in CI."""
    missing = {
        name: pinned
        for name, pinned in NPM_TOOLS.items()
        if not all((SHARE / f"{name}-{pinned[0]}" / kept).exists() for kept in pinned[2].values())
    }
    if not missing:
        return
    npm = shutil.which("npm")
    if not npm:
        print(
            f"npm not found: the browser and HTML tests need {', '.join(missing)} from the "
            "npm registry (apt-get install npm).",
            flush=True,
        )
        return
    for name, (version, integrity, files) in missing.items():
        with tempfile.TemporaryDirectory() as folder:
            packed = run(
                npm,
                "pack",
                f"{name}@{version}",
                "--json",
                "--pack-destination",
                folder,
                stdout=subprocess.PIPE,
            )
            (package,) = json.loads(packed.stdout)
            if package["integrity"] != integrity:
                sys.exit(f"{name} {version} from npm does not match the pinned integrity.")
            target = SHARE / f"{name}-{version}"
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(Path(folder) / package["filename"]) as archive:
                for inside, kept in files.items():
                    source = archive.extractfile(f"package/{inside}")
                    (target / kept).write_bytes(source.read())


def has_pip():
    if not PYTHON.exists():
        return False
    check = subprocess.run([str(PYTHON), "-m", "pip", "--version"], capture_output=True)
    return check.returncode == 0


def manage(*arguments):
    run(PYTHON, "manage.py", *arguments)


def compile_translations():
    """The Spanish and French .po files into .mo files (never committed): with GNU
    gettext's msgfmt when it is there, otherwise with polib, so only Python is needed."""
    manage("translations", "--compile")


def messages(arguments):
    """`messages`: collect new strings into the .po files; `messages --check`: fail if
    any would be left untranslated or fuzzy (both need GNU gettext)."""
    ensure_environment()
    manage("translations", *arguments)


def serve(arguments):
    ensure_environment()
    compile_translations()
    manage("migrate", "--noinput")
    manage("load_partners")
    address = arguments[0] if arguments else "127.0.0.1:8000"
    manage("runserver", address)


def install(arguments):
    ensure_environment()
    compile_translations()
    ensure_npm_tools()


def test_processes(arguments):
    """pytest-xdist's options for `arguments`: one process per core, up to four, unless
    the arguments choose (`-n 0` runs the tests in this process)."""
    if any(argument.startswith(("-n", "--numprocesses")) for argument in arguments):
        return []
    processes = min(os.cpu_count() or 1, 4)
    return ["--numprocesses", str(processes if processes > 1 else 0)]


def test(arguments):
    ensure_environment()
    compile_translations()
    ensure_npm_tools()
    command = [str(PYTHON), "-m", "pytest", *test_processes(arguments), *arguments]
    result = subprocess.run(command, cwd=ROOT)
    sys.exit(result.returncode)


def main():
    commands = {"serve": serve, "test": test, "install": install, "messages": messages}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
