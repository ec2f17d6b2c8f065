"""Settings for the load benchmark's gunicorn (`make bench-load`): the project's own, with
DEBUG off as in production, plus the benchmark's URLs (tools/bench_load_urls.py) for the
signed-in floor. Never used by the site.

The benchmark data is sealed with the development keys, which the project refuses to start
with when DEBUG is off; so the settings are read with DEBUG on (the benchmark sets DEBUG=true
and CONN_MAX_AGE=60 in gunicorn's environment) and DEBUG is switched off here, before Django
acts on it: no query log, no debug pages, persistent connections as in production.
"""

from cccc.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "tools.bench_load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
