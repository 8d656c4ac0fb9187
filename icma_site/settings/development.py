"""Settings for a developer's machine: debug on, local hosts only."""

import os

from icma_site.settings.base import *  # noqa: F403
from icma_site.settings.base import env_bool, env_list

DEBUG = env_bool("DEBUG", default=True)
# A development-only key, never used in production (production.py refuses to start
# without SECRET_KEY).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-only-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
