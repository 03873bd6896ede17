from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import Client

from articles.models import Article, Section
from comments.models import Comment
from demo.print_edition import find_fonts
from editions.models import Issue
from tests.base import NewsroomTestCase


class DemoCommandTests(NewsroomTestCase):
    def _run_demo(self) -> str:
        """`demo --no-serve`, without the migrate/collectstatic it calls first."""
        out = StringIO()
        with mock.patch("demo.management.commands.demo.call_command") as calls:
            call_command("demo", no_serve=True, stdout=out)
        self.assertNotIn("runserver", [c.args[0] for c in calls.call_args_list])
        return out.getvalue()

    def test_it_loads_the_paper_once_and_resets_the_accounts(self):
        self._run_demo()
        self.assertGreaterEqual(Section.objects.count(), 6)
        self.assertGreaterEqual(Article.objects.published().count(), 28)
        self.assertTrue(Comment.objects.approved().exists())
        self.assertTrue(Comment.objects.pending().exists())
        # Two print issues, drawn and readable, when the machine has a font
        # for them (demo/print_edition.py).
        if find_fonts():
            issues = list(Issue.objects.visible())
            self.assertEqual([issue.page_count for issue in issues], [4, 4])
            page = Client().get(issues[0].get_absolute_url())
            self.assertContains(page, "Tải bản PDF")
        counts = (Article.objects.count(), Comment.objects.count())

        output = self._run_demo()
        self.assertEqual((Article.objects.count(), Comment.objects.count()), counts)
        self.assertIn("sample content not loaded", output)

        article = Article.objects.published().first()
        self.assertEqual(Client().get(article.get_absolute_url()).status_code, 200)
        line = next(line for line in output.splitlines() if "bientap" in line)
        password = line.split("password:")[1].strip()
        signed_in = Client().post(
            "/quan-tri/login/", {"username": "bientap", "password": password}
        )
        self.assertRedirects(signed_in, "/quan-tri/", fetch_redirect_response=False)
