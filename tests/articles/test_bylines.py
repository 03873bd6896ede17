from articles.credits import byline
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory


class BylineRuleTests(NewsroomTestCase):
    def test_one_person_writing_and_photographing_a_news_brief(self):
        self.assertEqual(
            byline([("Thu Huyền", ["text", "photo"])], kind="news"),
            "Tin, ảnh: Thu Huyền",
        )

    def test_different_people_for_text_and_photo_on_a_feature(self):
        self.assertEqual(
            byline([("Hữu Hiệp", ["text"]), ("Thu Huyền", ["photo"])], kind="feature"),
            "Bài: Hữu Hiệp - Ảnh: Thu Huyền",
        )

    def test_several_people_in_the_same_roles_are_joined(self):
        self.assertEqual(
            byline(
                [("Thu Huyền", ["text", "photo"]), ("Hữu Hiệp", ["photo", "text"])],
                kind="news",
            ),
            "Tin, ảnh: Thu Huyền - Hữu Hiệp",
        )

    def test_two_writers_and_one_photographer(self):
        self.assertEqual(
            byline(
                [("Minh Tâm", ["text"]), ("Ngọc Hân", ["text"]), ("Văn Bé", ["photo"])],
                kind="feature",
            ),
            "Bài: Minh Tâm - Ngọc Hân - Ảnh: Văn Bé",
        )

    def test_translation_graphics_and_video_roles(self):
        self.assertEqual(
            byline(
                [("Lan Anh", ["translation"]), ("Quốc Huy", ["graphics", "video"])],
                kind="news",
            ),
            "Video, đồ họa: Quốc Huy - Dịch: Lan Anh",
        )

    def test_no_credits_means_no_byline(self):
        self.assertEqual(byline([], kind="news"), "")

    def test_the_article_page_prints_the_byline_from_its_credits(self):
        article = ArticleFactory(kind="feature")
        CreditFactory(
            article=article,
            contributor=ContributorFactory(name="Hữu Hiệp"),
            roles=["text"],
        )
        CreditFactory(
            article=article,
            contributor=ContributorFactory(name="Thu Huyền"),
            roles=["photo"],
            order=1,
        )
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Bài: Hữu Hiệp - Ảnh: Thu Huyền")
