"""gunicorn's settings for bonemets: `gunicorn -c deploy/gunicorn.conf.py bonemets.wsgi` (`make serve`).

Values come from the environment where an operator may want to change them (.env.example lists them).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each page is a handful of short queries. Two per core, plus one, is gunicorn's own advice.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# A request that runs longer is killed. The database gives up well before (bonemets/database.py: connect 3 s,
# statements 10 s + 5 s), so a failing database answers with the error page, not with a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, not all at once): memory cannot creep for weeks.
max_requests = 2000
max_requests_jitter = 200
# The access log names the path only: %(U)s is the path without its query string, never %(r)s or %(q)s, and no
# referrer, so nothing a query string or a referring page carries reaches the log. The request id ties a line
# to the app's own log lines and to the incident id a user reads off the error page.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Behind a reverse proxy on the same machine: trust its X-Forwarded-Proto (the app's TRUSTED_PROXY_COUNT
# decides about X-Forwarded-For).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
