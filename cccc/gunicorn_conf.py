"""gunicorn's settings for `web` (Dockerfile, docker-compose.yml: `--config
python:cccc.gunicorn_conf`).

The access log writes the method and the path, never the query string nor the referring page:
a volunteer's calendar feed carries its secret token in the query string
(volunteers/feed_services.py), and nothing personal or secret goes into a log line. gunicorn's
default format writes the whole request line (%(r)s), query string included."""

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
