"""Writing a generated file that is committed, or checking that it is up to date."""

from django.core.management.base import CommandError


def write_or_check(command, output, content, *, check, source_name, summary):
    """Write `content` to `output`, or with `check` fail when the file differs from it.

    `command` is the management command (for its output and its name in the hint).
    """
    name = command.__module__.rsplit(".", 1)[-1]
    if check:
        try:
            current = output.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != content:
            raise CommandError(
                f"{output} is out of date with {source_name}: "
                f"run `python manage.py {name}` and commit the result."
            )
        command.stdout.write(command.style.SUCCESS(f"{output.name} is up to date ({summary})."))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(content, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {output}: {error.strerror or error}") from error
    command.stdout.write(command.style.SUCCESS(f"Wrote {output} ({summary})."))
