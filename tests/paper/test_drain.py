"""An answer given before a post's body was read still lets it be read whole
(paper.middleware.DrainRequestBodyMiddleware); the proxies in front need it,
see tests/deploy/test_guide.py for the real chain."""

import io
from unittest import mock

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseForbidden
from django.test import SimpleTestCase

from paper import middleware
from paper.middleware import DrainRequestBodyMiddleware


def _post(body: bytes) -> tuple[WSGIRequest, io.BytesIO]:
    stream = io.BytesIO(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/quan-tri/articles/photo/add/",
            "CONTENT_TYPE": "application/octet-stream",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": stream,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
        }
    )
    return request, stream


class DrainTests(SimpleTestCase):
    def test_an_early_refusal_reads_the_rest_of_the_body(self):
        request, stream = _post(b"x" * 300_000)

        answer = DrainRequestBodyMiddleware(lambda r: HttpResponseForbidden())(request)

        self.assertEqual(answer.status_code, 403)
        self.assertEqual(stream.tell(), 300_000)

    def test_a_body_the_view_read_is_not_read_again(self):
        request, stream = _post(b"x" * 1000)

        def view(request):
            return HttpResponse(len(request.body))

        answer = DrainRequestBodyMiddleware(view)(request)

        self.assertEqual(answer.content, b"1000")
        self.assertEqual(stream.tell(), 1000)

    def test_a_body_bigger_than_any_proxy_lets_through_is_left(self):
        request, stream = _post(b"x" * 5000)

        with mock.patch.object(middleware, "DRAIN_AT_MOST", 4096):
            DrainRequestBodyMiddleware(lambda r: HttpResponseForbidden())(request)

        self.assertEqual(stream.tell(), 0)
