import unicodedata

from django.urls import reverse, set_script_prefix

from articles.text import fold, slugify_vi
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory


class SlugRuleTests(NewsroomTestCase):
    def test_it_turns_a_vietnamese_title_into_an_ascii_slug(self):
        self.assertEqual(
            slugify_vi("Tổng kết Năm dân vận chính quyền 2019"),
            "tong-ket-nam-dan-van-chinh-quyen-2019",
        )

    def test_it_keeps_d_with_stroke_as_d(self):
        self.assertEqual(
            slugify_vi("Đồng Khởi – đường về Đồng bằng"), "dong-khoi-duong-ve-dong-bang"
        )

    def test_decomposed_input_gives_the_same_slug(self):
        title = "Hòa giải ở cơ sở: thủy lợi Ba Tri"
        self.assertEqual(
            slugify_vi(unicodedata.normalize("NFD", title)), slugify_vi(title)
        )

    def test_both_tone_placements_fold_alike(self):
        self.assertEqual(fold("hoà thuỷ"), fold("hòa thủy"))
        self.assertEqual(fold("hòa thủy"), "hoa thuy")

    def test_it_cuts_long_titles_on_a_word_boundary(self):
        title = "Chương trình mục tiêu quốc gia xây dựng nông thôn mới " * 5
        full = slugify_vi(title, max_length=1000)
        slug = slugify_vi(title, max_length=50)
        self.assertLessEqual(len(slug), 50)
        self.assertTrue(full.startswith(slug + "-"))

    def test_an_article_without_a_slug_gets_one_from_its_title(self):
        article = ArticleFactory(title="Nông dân Mỏ Cày thu hoạch dừa", slug="")
        self.assertEqual(article.slug, "nong-dan-mo-cay-thu-hoach-dua")

    def test_a_changed_title_keeps_the_slug_and_old_links_redirect(self):
        article = ArticleFactory(title="Cầu Rạch Miễu 2 sắp thông xe", slug="")
        old_url = article.get_absolute_url()
        article.title = "Cầu Rạch Miễu 2 thông xe trước Tết"
        article.slug = ""
        article.save()
        self.assertNotEqual(article.get_absolute_url(), old_url)
        response = self.client.get(old_url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], article.get_absolute_url())


class AddressTests(NewsroomTestCase):
    """Articles and sections write their address out rather than reverse() it
    (a page prints a hundred): it must be the address the URLconf routes."""

    def test_an_article_and_a_section_are_where_the_urlconf_says(self):
        article = ArticleFactory(title="Cầu Rạch Miễu 2 hợp long")
        section = article.section
        self.assertEqual(
            article.get_absolute_url(),
            reverse("articles:detail", kwargs={"slug": article.slug, "pk": article.pk}),
        )
        self.assertEqual(
            section.get_absolute_url(),
            reverse("articles:section", kwargs={"slug": section.slug}),
        )
        self.assertContains(self.client.get(article.get_absolute_url()), article.title)
        self.assertContains(self.client.get(section.get_absolute_url()), section.name)

    def test_they_follow_the_script_prefix_of_a_site_served_under_a_path(self):
        article = ArticleFactory()
        set_script_prefix("/bao/")
        self.addCleanup(set_script_prefix, "/")
        self.assertEqual(
            article.get_absolute_url(), f"/bao/{article.slug}-{article.pk}.html"
        )
        self.assertEqual(
            article.section.get_absolute_url(),
            reverse("articles:section", kwargs={"slug": article.section.slug}),
        )
