"""gunicorn settings for Newsdesk: `gunicorn -c deploy/gunicorn.conf.py`.

Every name is a gunicorn setting (https://docs.gunicorn.org/en/stable/settings.html);
the environment overrides the ones that differ between machines.
"""

import os

wsgi_app = "newsdesk.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# One process per core, a few threads each. Threads (gthread) keep connections
# alive between requests; sync workers close every connection, which measured
# about 35% fewer cached pages per second on 2 cores (docs/deploy.md). A render is
# mostly Python, so more processes than cores only add memory.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# A stuck render is killed after 30 s; the page cache's render lock expires by then too.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in a dependency never grows without bound
# (not too often: cached pages go by thousands a second, and a restart costs a warm-up).
max_requests = 200_000
max_requests_jitter = 20_000

# Load Django once in the master so workers fork with it already imported.
preload_app = True

# nginx or the CDN logs requests; set GUNICORN_ACCESS_LOG=- to log them here too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
