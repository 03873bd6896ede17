"""Counting article views for "Đọc nhiều" without a database write per view.

The article page stays cacheable: a tiny beacon request, sent by the reader's
browser after the page shows, adds one to a counter in the cache. Counters are
kept per hour. ``read_counts_flush()`` moves them to ``ReadCount`` rows in
bulk: the beacon view calls it at most once a minute per cache, and the
``flush_read_counts`` command does the same from cron when the cache is shared
(Redis). With the default per-process memory cache, each web process flushes
its own counters.

Keys, per hour bucket ``H`` (e.g. 2026021710):
  ``doc:H:<article id>``  views not yet flushed;
  ``doc:H:n``            how many articles were seen in that hour;
  ``doc:H:slot:<i>``     the id of the i-th article seen, so a flush can list
                         the counters without scanning the cache.
"""

from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Article, ReadCount

# Buckets older than this are never flushed; their keys expire.
KEEP_HOURS = 48
_TTL = KEEP_HOURS * 3600 + 3600
FLUSH_EVERY_SECONDS = 60
# Far more articles than a provincial paper's readers open in one hour.
MAX_ARTICLES_PER_HOUR = 5000


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _bucket(hour: datetime) -> str:
    return f"doc:{hour:%Y%m%d%H}"


def _incr(key: str, delta: int = 1) -> int:
    # add() is a no-op when the key exists; incr() is atomic in Redis and under
    # the memory cache's lock.
    cache.add(key, 0, _TTL)
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add() and incr()
        cache.set(key, delta, _TTL)
        return delta


def read_count_add(*, article_id: int, now: datetime | None = None) -> None:
    """Count one view of ``article_id`` in the cache; no database query."""
    bucket = _bucket(_hour(now or timezone.now()))
    key = f"{bucket}:{article_id}"
    if cache.add(key, 0, _TTL):
        slot = _incr(f"{bucket}:n")
        if slot > MAX_ARTICLES_PER_HOUR:
            # Made-up ids posted in bulk must not grow the cache without end.
            return
        cache.set(f"{bucket}:slot:{slot}", article_id, _TTL)
    _incr(key)


def read_counts_flush_due() -> bool:
    """True at most once per ``FLUSH_EVERY_SECONDS`` for a given cache."""
    return cache.add("doc:flush-lock", 1, FLUSH_EVERY_SECONDS)


def read_counts_flush(*, now: datetime | None = None) -> int:
    """Move counted views from the cache into ``ReadCount`` rows, in bulk.

    Safe to run at any time and from several places: each counter is
    decremented by exactly what was written, so views counted meanwhile wait
    for the next flush. Views of articles that are gone are dropped. Returns
    the number of views written.
    """
    current = _hour(now or timezone.now())
    written = 0
    for age in range(KEEP_HOURS):
        hour = current - timedelta(hours=age)
        bucket = _bucket(hour)
        seen = min(cache.get(f"{bucket}:n") or 0, MAX_ARTICLES_PER_HOUR)
        if not seen:
            continue
        slots = cache.get_many([f"{bucket}:slot:{i}" for i in range(1, seen + 1)])
        keys = {f"{bucket}:{article_id}": article_id for article_id in slots.values()}
        pending = {
            keys[key]: views
            for key, views in cache.get_many(list(keys)).items()
            if views and views > 0
        }
        if not pending:
            continue
        try:
            written += _write(hour, pending)
        except IntegrityError:
            # Another process created the same hour's row first; these views
            # stay in the cache for the next flush.
            continue
        for article_id, views in pending.items():
            cache.decr(f"{bucket}:{article_id}", views)
    return written


@transaction.atomic
def _write(hour: datetime, pending: dict[int, int]) -> int:
    known = set(Article.objects.filter(pk__in=pending).values_list("pk", flat=True))
    rows = {
        row.article_id: row
        for row in ReadCount.objects.select_for_update().filter(
            hour=hour, article_id__in=known
        )
    }
    for article_id, row in rows.items():
        row.views += pending[article_id]
    ReadCount.objects.bulk_update(rows.values(), ["views"])
    ReadCount.objects.bulk_create(
        ReadCount(article_id=article_id, hour=hour, views=pending[article_id])
        for article_id in known - set(rows)
    )
    return sum(pending[article_id] for article_id in known)
