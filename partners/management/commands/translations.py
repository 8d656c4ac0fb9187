"""Keep the Spanish and French translations (locale/{es,fr}/LC_MESSAGES/django.po) whole.

    manage.py translations            # collect new strings into the .po files (makemessages)
    manage.py translations --check    # fail if that would leave an entry untranslated or fuzzy
    manage.py translations --compile  # .po -> .mo (msgfmt, or polib where gettext is missing)

Collecting strings needs GNU gettext (xgettext, msgmerge: `apt-get install gettext`);
compiling does not: without msgfmt the .mo files are written with polib, so that
`python3 dev.py serve` works with nothing but Python. The .mo files are never committed.
"""

import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

# The languages besides English, and what makemessages must not read: files that are not
# the site's (data, tests, benchmarks, static files) and the admin's templates, which
# keep the admin in English.
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
IGNORED = [
    ".venv/*",
    "bench/*",
    "build/*",
    "fixtures/*",
    "partners/migrations/*",
    "static/*",
    "staticfiles/*",
    "templates/admin/*",
    "templates/simple_history/*",
    "test-artifacts/*",
    "tests/*",
]


def catalogues():
    """The .po file of each language, as a path."""
    folder = Path(settings.LOCALE_PATHS[0])
    return [folder / language / "LC_MESSAGES" / "django.po" for language in LANGUAGES]


def problems(path):
    """What is missing in one .po file: ["es: untranslated: 'Home'", …]."""
    catalogue = polib.pofile(str(path))
    language = path.parent.parent.name
    found = [
        f"{language}: untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()
    ]
    found += [f"{language}: fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    found += [f"{language}: obsolete: {entry.msgid!r}" for entry in catalogue.obsolete_entries()]
    return found


class Command(BaseCommand):
    help = "Collect, check or compile the site's translations (Spanish and French)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--check",
            action="store_true",
            help="Fail if collecting the strings would leave an entry untranslated or "
            "fuzzy. Leaves the .po files as they are.",
        )
        action.add_argument(
            "--compile", action="store_true", help="Compile the .po files into .mo files."
        )

    def handle(self, *args, check=False, compile=False, **options):
        if compile:
            self.compile_catalogues(options["verbosity"])
        elif check:
            self.check_catalogues()
        else:
            self.collect()
            self.stdout.write(self.style.SUCCESS("Strings collected into " + self.names()))

    def names(self):
        return ", ".join(str(path.relative_to(settings.BASE_DIR)) for path in catalogues())

    def collect(self):
        if not shutil.which("xgettext") or not shutil.which("msgmerge"):
            raise CommandError("Collecting the strings needs GNU gettext: apt-get install gettext.")
        call_command(
            "makemessages",
            locale=LANGUAGES,
            no_location=True,
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=0,
        )

    def check_catalogues(self):
        saved = {path: path.read_bytes() for path in catalogues() if path.exists()}
        try:
            self.collect()
            found = [problem for path in catalogues() for problem in problems(path)]
        finally:
            for path in catalogues():
                if path in saved:
                    path.write_bytes(saved[path])
                else:
                    path.unlink(missing_ok=True)
        if found:
            raise CommandError(
                f"{len(found)} entries need a translation (run `manage.py translations` and "
                "translate them in the .po files):\n" + "\n".join(found)
            )
        self.stdout.write(self.style.SUCCESS("Every string is translated: " + self.names()))

    def compile_catalogues(self, verbosity):
        for path in catalogues():
            if not path.exists():
                raise CommandError(f"{path} is missing.")
        if shutil.which("msgfmt"):
            call_command("compilemessages", locale=LANGUAGES, ignore_patterns=IGNORED, verbosity=0)
        else:
            for path in catalogues():
                polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Translations compiled: " + self.names()))
