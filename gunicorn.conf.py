"""Gunicorn settings for Tòa soạn: `gunicorn -c gunicorn.conf.py newsroom.wsgi`.

Sized for the paper's small server (2 cores). Every value can be overridden
with an environment variable or on the command line; `bench/run` uses this file.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")

# A Django page is CPU work (templates, ORM) plus short waits on PostgreSQL on
# the same host. Sync workers each serve one request at a time with no GIL
# contention; one more worker than cores keeps a core busy while another worker
# waits on the database, and more than that only adds memory (~60-80 MB each)
# and context switches on 2 cores shared with PostgreSQL. Threads would let one
# slow client hold a worker less, but a front proxy (nginx, a CDN) buffers slow
# clients for us, and threads in one process share one GIL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
threads = 1

# Load the project once in the master and fork: workers share its memory pages
# and start in milliseconds. Database connections are opened only in workers.
preload_app = True

# A request that takes longer than this is stuck: kill the worker, log it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Recycle a worker now and then so a slow leak cannot grow without bound; the
# jitter keeps workers from all restarting at once. 0 turns it off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10

# Behind a proxy that buffers requests; keep-alive only matters for the proxy hop.
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # unset: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "toasoan"
