"""Log lines an operator can read and a log collector can parse.

Each line carries its time, level, logger and the id of the request it came
from (``X-Request-ID``: the proxy's when it sends one, else a new one), so the
lines of one request can be found together. ``LOG_FORMAT=json`` writes each
record as one JSON object per line, traceback included.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.utils.log import AdminEmailHandler

logger = logging.getLogger(__name__)

_request_id = contextvars.ContextVar("request_id", default="-")
# What a proxy may hand us as an id: short, printable, no spaces.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line logged while answering carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.BEHIND_PROXY and _VALID_ID.fullmatch(given)
        request_id = given if trusted else uuid.uuid4().hex[:16]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS (``mail_admins`` in LOGGING), enqueued for
    the worker (paper.tasks) instead of sent while the failing request waits
    for the mail server, and tried again if the mail server fails."""

    def send_mail(self, subject, message, *args, **kwargs):
        if not settings.ADMINS:
            return
        from paper.tasks import send_admins_mail  # the app registry is ready now

        try:
            send_admins_mail.enqueue(
                subject, message, html_message=kwargs.get("html_message")
            )
        except Exception as error:
            # The database is away, often the error's own cause: the error is
            # in the log (and Sentry) all the same; the mail is not sent.
            logger.warning("Error mail not queued (%s): %s", error, subject)
