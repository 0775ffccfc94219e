"""gunicorn settings for `gunicorn wsgi:app`; every value can be overridden from the environment."""

import gc
import itertools
import multiprocessing
import os

from crm import memory

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
#: Requests are short and mostly wait on the database: threads let one worker overlap them.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
#: A kept-alive connection stays with the worker that accepted it, and the kernel gives a burst
#: of new connections to whichever worker wakes first: four of them all went to one worker,
#: whose one GIL then served them while the other worker idled (0.01 s of CPU against 8.5 s,
#: docs/PERFORMANCE.md). Closing after each response lets an idle worker take the next
#: request, as it does behind a proxy that opens a connection a request (nginx's default).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
#: The app is imported once, in the master, and each worker is a fork of it: a worker starts
#: in milliseconds (no import, no Flask-Admin set-up) and shares the master's memory pages.
preload_app = True
#: Recycle a worker now and then so that a slow leak cannot grow without bound; rarely, as a
#: worker's first requests are its slowest (statement and template caches are per process).
#: At 2 000 a busy worker was replaced every few seconds (docs/PERFORMANCE.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
#: Threads spread over this many malloc arenas (glibc's default: eight a core), so that memory
#: one request freed serves the next whichever thread takes it; glibc's own MALLOC_ARENA_MAX.
malloc_arenas = int(os.environ.get("MALLOC_ARENA_MAX", "2"))
memory.limit_arenas(malloc_arenas)
#: Every so many requests a worker gives the memory freed since back to the system: the rows
#: a report read, an export's buffers. It takes microseconds when little was freed, 7 ms for
#: 90 MB.
give_back_memory_every = 200
_requests = itertools.count(1)
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
#: gunicorn 27 opens ~/.gunicorn/gunicorn.ctl by default; instances on one host would share it.
control_socket_disable = True


def pre_fork(_server, _worker):
    """Python's advice for servers that fork (the gc.freeze documentation): the app's objects,
    loaded once in the master, are moved out of the collector's reach before each fork. A
    worker's full collections then walk only its own objects (at 100 000 customers, 7 ms
    where they walked the app's 180 000 objects in 180 ms, a stall of every thread of the
    worker), and they no longer write to the pages the worker shares with the master."""
    gc.collect()
    gc.freeze()


def post_fork(_server, _worker):
    """A forked worker must not use the master's database connections: SQLAlchemy's advice is
    to drop the inherited pool without closing its connections, which belong to the master."""
    from crm.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)


def post_request(_worker, _request, _environ, _response):
    if next(_requests) % give_back_memory_every == 0:
        memory.give_back_freed_memory()
