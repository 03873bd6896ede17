"""The comment form, fuzzed (hypothesis): any text a reader can send gets the
form back with a reason or is stored, never a server error."""

import itertools

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, comment_post_data

# Any character but lone surrogates, which no browser can send as UTF-8.
anything = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)
_addresses = itertools.count(1)


class CommentFormFuzzTests(HypothesisTestCase, NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory()

    @settings(max_examples=200, deadline=None)
    @given(
        name=anything,
        email=st.one_of(st.emails(), anything),
        body=anything,
        parent=st.one_of(st.just(""), anything),
        token=st.one_of(st.just(None), anything),
    )
    def test_any_post_is_answered_and_nothing_half_stored(
        self, name, email, body, parent, token
    ):
        before = Comment.objects.count()
        fields = {"name": name, "email": email, "body": body, "parent": parent}
        data = comment_post_data(self.article, **fields)
        if token is not None:
            data["token"] = token
        number = next(_addresses)
        response = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            data,
            REMOTE_ADDR=f"10.9.{number // 250 % 250}.{number % 250 + 1}",
        )
        self.assertIn(response.status_code, (302, 400, 429))
        stored = Comment.objects.count() - before
        self.assertEqual(stored, 1 if response.status_code == 302 else 0)
