"""What a kept page shows, and purging it when that changes.

A page records the *keys* of what it shows (``show(request, "article:12",
"home")``); every page also shows ``site``. A write purges the keys of what it
changed (``purge("article:12", "section:3")``) once its transaction commits:

* here, by noting the moment each key was purged ("marks", in the shared
  cache): a kept page is served only while every key it shows was last purged
  before the page began rendering, so a page rendered from data read before a
  commit is never served after it, whichever server rendered it;
* in front caches (``PURGE_URLS``: Varnish with xkey), by a ``PURGE`` request
  carrying the keys.

Domain apps declare which keys a row touches by ``watch(Model, keys)``; the
receivers follow the data, whatever wrote it (admin form, bulk action,
service, command, shell ``save()``). ``QuerySet.update()`` and
``bulk_create()`` send no signal: their callers purge themselves. Migrations
purge ``site``, which every page shows.

What changes by the clock alone (a scheduled article becoming visible) is
announced by the apps through ``watch_clock(next_change)``: no kept page, here
or in a front cache, outlives the next such moment.
"""

import functools
import logging
import math
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)

SITE = "site"
MARK = "pagecache:purged:"
NEXT_CHANGE = "pagecache:next-change"
PURGE_AGAIN_AFTER = 2  # seconds
# A next change is looked for again at least this often, in case a writer and
# a reader crossed while storing it.
NEXT_CHANGE_RECHECK = 60

_clocks: list[Callable[[], datetime | None]] = []


def now() -> float:
    """Epoch seconds, through django.utils.timezone so tests can move the clock."""
    return timezone.now().timestamp()


def show(request: HttpRequest, *keys: str) -> None:
    """Record that the page being rendered for ``request`` shows ``keys``."""
    shown = getattr(request, "cache_keys", None)
    if shown is None:
        shown = request.cache_keys = {SITE}
    shown.update(keys)


def shows(*keys: str):
    """A view decorator: every page the view renders shows ``keys``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            show(request, *keys)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def marks(keys: Iterable[str]) -> dict[str, float]:
    """When each of ``keys`` was last purged (keys never purged are absent)."""
    found = cache.get_many([MARK + key for key in keys])
    return {key.removeprefix(MARK): when for key, when in found.items()}


def purge(*keys: str) -> None:
    """Purge every kept page that shows one of ``keys``, once the current
    transaction commits (at once outside one). A rolled-back write purges
    nothing; a purge that fails is logged, never raised (see ``watch``)."""
    if keys:
        transaction.on_commit(lambda: purge_now(keys), robust=True)


def purge_now(keys: Iterable[str]) -> None:
    keys = set(keys)
    # Marks live as long as the longest-kept page that could show them.
    cache.set_many(
        dict.fromkeys((MARK + key for key in keys), now()),
        timeout=settings.PAGE_CACHE_TTL + 60,
    )
    # A write may have scheduled something: look for the next change again.
    _look_for_next_change(cache.set)
    for base_url in settings.PURGE_URLS:
        _purge_front_cache(base_url, keys)
        # A page rendered from data read before the commit may still be on its
        # way into the front cache, stored after this purge: purge it again.
        again = threading.Timer(PURGE_AGAIN_AFTER, _purge_front_cache, (base_url, keys))
        again.daemon = True
        again.start()


def _purge_front_cache(base_url: str, keys: set[str]) -> None:
    """``PURGE`` with the keys in ``xkey-purge`` (deploy/varnish/default.vcl)."""
    request = urllib.request.Request(  # noqa: S310 - the operator's own URL
        base_url, method="PURGE", headers={"xkey-purge": " ".join(sorted(keys))}
    )
    try:
        with urllib.request.urlopen(request, timeout=2):  # noqa: S310
            pass
    except (urllib.error.URLError, OSError) as error:
        # The write stands; the front cache keeps the page until its s-maxage.
        log.error("Front cache purge failed at %s: %s", base_url, error)


def purge_after_migrate(**kwargs) -> None:
    purge_now([SITE])


def watch(model: type[Model], keys: Callable[[Model], Iterable[str]]) -> None:
    """Purge ``keys(row)`` whenever a row of ``model`` is saved or deleted.

    ``keys`` runs twice: at the write, while related rows are still as they
    were (an article's tags before the admin saves the new ones), and after
    the commit, on the row as it ended up. Both sets are purged.
    """

    def receiver(sender, instance, **kwargs):
        before = set(keys(instance))

        # Robust: the write is committed when this runs, so a failing purge
        # (the shared cache down) is logged instead of turning a done save
        # into an error page that invites a second try; kept pages still end
        # after PAGE_CACHE_TTL.
        transaction.on_commit(
            lambda: purge_now(before | set(keys(instance))), robust=True
        )

    uid = f"pagecache:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)


def watch_clock(next_change: Callable[[], datetime | None]) -> None:
    """``next_change()`` tells when something will show or go by the clock
    alone: no kept page outlives that moment."""
    _clocks.append(next_change)


def next_change() -> float | None:
    """The next moment the clock changes a page (epoch seconds), or None."""
    found = cache.get(NEXT_CHANGE)
    if found is None:
        # add(), not set(): a reader that looked before a write committed
        # never overwrites what the writer found after it (store_next_change).
        return _look_for_next_change(cache.add)
    if found[0] is not None and found[0] <= now():
        return _look_for_next_change(cache.set)  # that moment has come
    return found[0]


def _look_for_next_change(store) -> float | None:
    current = now()
    moments = [moment.timestamp() for clock in _clocks if (moment := clock())]
    upcoming = min(moments, default=None)
    timeout = NEXT_CHANGE_RECHECK
    if upcoming is not None:
        timeout = max(1, min(timeout, math.ceil(upcoming - current)))
    store(NEXT_CHANGE, (upcoming,), timeout=timeout)
    return upcoming
