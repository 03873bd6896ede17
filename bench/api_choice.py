"""Why django-ninja: what the content API's list costs to build in each
framework, on the same 20 prefetched articles in one process, and what each
framework adds to a worker's memory.

    .venv/bin/pip install --target /tmp/drf djangorestframework==3.18.3 \\
        drf-spectacular==0.30.0
    VAR_DIR=... .venv/bin/python bench/api_choice.py /tmp/drf

DRF is put on the path from that folder (it is not a dependency of the
project); the database is the one the environment names, with at least 20
published articles (``manage.py demo --no-serve`` makes 25).
"""

import json
import statistics
import subprocess
import sys
import time

from pages import ROOT, setup_django

ROUNDS = 200


def _drf_serializer():
    from rest_framework import serializers

    from api import output

    def absolute(url: str) -> str:
        return f"http://localhost{url}"

    class Ref(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        slug = serializers.CharField()
        name = serializers.CharField()
        url = serializers.SerializerMethodField()

        def get_url(self, row):
            return absolute(row.get_absolute_url())

    class CreditSerializer(serializers.Serializer):
        contributor = Ref()
        roles = serializers.ListField(child=serializers.CharField())
        role_labels = serializers.SerializerMethodField()

        def get_role_labels(self, credit):
            from articles.credits import Role

            return [str(Role(role).label) for role in credit.roles]

    class Summary(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        title = serializers.CharField()
        slug = serializers.CharField()
        kind = serializers.CharField()
        canonical_url = serializers.SerializerMethodField()
        api_url = serializers.SerializerMethodField()
        lead = serializers.CharField()
        section = Ref()
        tags = Ref(many=True, source="tags.all")
        credits = CreditSerializer(many=True, source="credits.all")
        byline = serializers.CharField()
        published_at = serializers.SerializerMethodField()
        updated_at = serializers.SerializerMethodField()
        lead_photo = serializers.SerializerMethodField()

        def get_canonical_url(self, article):
            return absolute(article.get_absolute_url())

        def get_api_url(self, article):
            return absolute(f"/api/v1/articles/{article.pk}/")

        def get_published_at(self, article):
            return output.local_time(article.published_at).isoformat()

        def get_updated_at(self, article):
            return output.local_time(article.updated_at).isoformat()

        def get_lead_photo(self, article):
            if not article.lead_photo_id:
                return None
            return output.photo(
                article.lead_photo, caption=article.photo_caption, absolute=absolute
            )

    return Summary


def _times(*builds) -> list[float]:
    """Median CPU milliseconds of each of ``builds``, run in turns so that a busy
    moment of the machine weighs on all alike."""
    times: list[list[float]] = [[] for _ in builds]
    for _ in range(ROUNDS):
        for build, measured in zip(builds, times, strict=True):
            start = time.process_time()
            build()
            measured.append((time.process_time() - start) * 1000)
    return [statistics.median(measured) for measured in times]


def serialisation(drf_path: str) -> None:
    sys.path.append(drf_path)
    from rest_framework.renderers import JSONRenderer as DrfRenderer

    from api import output
    from api.core import Renderer
    from api.schemas import ArticlePage
    from articles.models import Article

    articles = list(
        Article.objects.published()
        .for_syndication()
        .order_by("-published_at", "-id")[:20]
    )
    if len(articles) < 20:
        sys.exit("The database needs 20 published articles.")

    def absolute(url: str) -> str:
        return f"http://localhost{url}"

    def dicts():
        return {
            "items": [output.article_summary(a, absolute) for a in articles],
            "next": None,
        }

    built = dicts()

    ninja_renderer, drf_renderer = Renderer(), DrfRenderer()

    def framework(data=built):
        # What ninja does with a view's result: validate, dump, render.
        page = ArticlePage.model_validate(data).model_dump()
        return ninja_renderer.render(None, page, response_status=200)

    def ours():
        return framework(dicts())

    summary = _drf_serializer()

    def drf():
        data = {"items": summary(articles, many=True).data, "next": None}
        return drf_renderer.render(data)

    if json.loads(ours())["items"] != json.loads(drf())["items"]:
        sys.exit("The two lists differ: compare like with like.")
    whole, drf_whole, only_ninja = _times(ours, drf, framework)
    print(f"A list of 20 articles as JSON, CPU time, median of {ROUNDS}:")
    print(f"  django-ninja, dicts + validation + JSON: {whole:6.2f} ms")
    print(f"    of which ninja's validation and JSON:  {only_ninja:6.2f} ms")
    print(f"  DRF serializers + JSON:                  {drf_whole:6.2f} ms")


_IMPORT = """
import resource, sys, time
sys.path.append({path!r})
sys.path.insert(0, {root!r})
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
import django
django.setup()
def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()
before = rss()
start = time.process_time()
{code}
took = (time.process_time() - start) * 1000
print(f"{{took:.0f}} ms, {{(rss() - before) / 2**20:.1f}} MB")
"""
_NINJA = "from ninja import NinjaAPI, Router; import pydantic"
_DRF = (
    "import rest_framework.views, rest_framework.serializers, "
    "rest_framework.pagination, drf_spectacular.openapi"
)


def imports(drf_path: str) -> None:
    # A fresh process each: what importing the framework adds to a worker.
    for name, code in (("django-ninja", _NINJA), ("DRF + drf-spectacular", _DRF)):
        script = _IMPORT.format(path=drf_path, root=str(ROOT), code=code)
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        print(f"  import {name}: {result.stdout.strip()}")


if __name__ == "__main__":
    setup_django()
    serialisation(sys.argv[1])
    print("Importing into a worker (CPU time, fresh process, after django.setup()):")
    imports(sys.argv[1])
