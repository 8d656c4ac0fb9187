"""Settings from the environment: one parser per kind of value, each bad value refused
with one line that names the variable and says what it must be. Used by the settings
and by gunicorn.conf.py."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_seconds(name, default, unit="seconds"):
    """A number of seconds (or of another `unit`), 0 or more, from the environment."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds < 86400:
        raise ImproperlyConfigured(f"{name} must be a number of {unit}, not {value!r}.")
    return seconds


def env_int(name, default, minimum=None):
    """A whole number from the environment, at least `minimum`."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or (minimum is not None and number < minimum):
        at_least = f" of at least {minimum}" if minimum is not None else ""
        raise ImproperlyConfigured(f"{name} must be a whole number{at_least}, not {value!r}.")
    return number


def env_networks(name, default):
    """IP networks ("10.0.0.0/8", or one address) from a comma-separated list."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8, not {item!r}."
            ) from None
    return networks


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
