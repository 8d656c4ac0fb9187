"""Django's PostgreSQL backend, with a bound on how long a web request waits for the
database: see base.py."""
