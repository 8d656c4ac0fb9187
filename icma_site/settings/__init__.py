"""Settings, one module per environment: base (shared), development, test, production.

Pick one with DJANGO_SETTINGS_MODULE; manage.py defaults to development.
"""
