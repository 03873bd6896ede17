from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory, SectionFactory


class CommentCountTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(slug="thoi-su")
        cls.busy = ArticleFactory(section=cls.section, tags=["Bến Tre", "Mưa"])
        cls.quiet = ArticleFactory(section=cls.section, tags=["Bến Tre"])
        question = CommentFactory(article=cls.busy)
        CommentFactory(article=cls.busy, parent=question)
        CommentFactory(article=cls.busy, status=Comment.Status.PENDING)
        CommentFactory(article=cls.busy, status=Comment.Status.SPAM)
        CommentFactory(article=cls.quiet, status=Comment.Status.REJECTED)

    def test_listings_count_approved_comments_and_replies_in_the_same_query(self):
        with self.assertNumQueries(1):
            counts = {
                article.pk: article.comment_count
                for article in Article.objects.published()
                .filter(tags__name="Bến Tre")
                .for_listing()
            }
        self.assertEqual(counts, {self.busy.pk: 2, self.quiet.pk: 0})

    def test_the_count_also_rides_on_the_home_pages_window_query(self):
        with self.assertNumQueries(1):
            articles = list(
                Article.objects.published().for_listing().latest_per_section(5)
            )
        self.assertEqual(
            {a.pk: a.comment_count for a in articles},
            {self.busy.pk: 2, self.quiet.pk: 0},
        )

    def test_cards_show_the_count_only_when_there_are_comments(self):
        page = self.client.get(reverse("articles:section", args=["thoi-su"]))
        self.assertContains(page, "2 bình luận", count=1)
        self.assertContains(page, f"{self.busy.get_absolute_url()}#binh-luan")
