import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import translation

from newsroom.urls import urlpatterns as site_urlpatterns
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, CommentFactory

# Left in English by Django's own Vietnamese catalogue before locale/vi.
ENGLISH = [
    "Please correct the error",
    "Skip to main content",
    "Toggle theme",
    "Show counts",
    "Hide counts",
    "Toggle navigation",
    "Sidebar",
    "Breadcrumbs",
    "Filter navigation items",
    "Select all objects on this page",
    "Forbidden",
]


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# No public page refuses a reader yet; this one stands in for the first that will.
urlpatterns = [path("cam/", _forbidden), *site_urlpatterns]


class AdminLanguageTests(NewsroomTestCase):
    def assertVietnamese(self, response, *expected: str, status_code: int = 200):
        for text in ENGLISH:
            self.assertNotContains(response, text, status_code=status_code)
        for text in expected:
            self.assertContains(response, text, status_code=status_code)

    def test_the_index_and_the_article_list_are_in_vietnamese(self):
        ArticleFactory()
        self.client.force_login(self.chief)
        self.assertVietnamese(
            self.client.get(reverse("admin:index")),
            "Bỏ qua, đến nội dung chính",
            "Đổi giao diện sáng/tối (đang dùng: tự động)",
        )
        self.assertVietnamese(
            self.client.get(reverse("admin:articles_article_changelist")),
            "Ẩn/hiện thanh điều hướng",
            'aria-label="Thanh bên"',
            'aria-label="Đường dẫn điều hướng"',
            "Hiện số lượng",
            "Chọn tất cả đối tượng trên trang này để thực hiện thao tác",
        )
        self.assertVietnamese(
            self.client.get(
                reverse("admin:articles_article_changelist") + "?_facets=True"
            ),
            "Ẩn số lượng",
        )

    def test_a_refused_article_save_says_what_to_correct_in_vietnamese(self):
        article = ArticleFactory()
        self.client.force_login(self.chief)
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, title=""),
        )
        self.assertVietnamese(
            response, "Vui lòng sửa lỗi bên dưới.", "Trường này là bắt buộc."
        )
        # The version check's hidden field no longer prints an English label.
        self.assertNotContains(response, "Loaded version")

    def test_the_comment_list_and_its_filters_are_in_vietnamese(self):
        # Comments are the moderators' work: the chief editor's role has no
        # access to them.
        CommentFactory(status="pending")
        self.client.force_login(self.moderator)
        response = self.client.get(reverse("admin:comments_comment_changelist"))
        self.assertVietnamese(
            response, "Hiện số lượng", "Theo trạng thái", "bình luận chờ duyệt"
        )

    def test_the_password_pages_are_in_vietnamese(self):
        self.client.force_login(self.chief)
        url = reverse("admin:password_change")
        self.assertVietnamese(self.client.get(url), "Mật khẩu cũ")
        response = self.client.post(
            url, {"old_password": "sai", "new_password1": "a", "new_password2": "b"}
        )
        self.assertVietnamese(response, "Vui lòng sửa lỗi bên dưới.")
        self.client.logout()
        self.assertVietnamese(
            self.client.get(reverse("admin:login")),
            "Bỏ qua, đến nội dung chính",
            "Đổi giao diện sáng/tối",
        )

    def test_djangos_missing_entries_now_read_in_vietnamese(self):
        with translation.override("vi"):
            self.assertEqual(
                translation.ngettext(
                    "Please correct the error below.",
                    "Please correct the errors below.",
                    2,
                ),
                "Vui lòng sửa lỗi bên dưới.",
            )
            self.assertEqual(
                translation.gettext("Toggle navigation"), "Ẩn/hiện thanh điều hướng"
            )
            self.assertEqual(
                translation.gettext("Enter a valid domain name."),
                "Nhập một tên miền hợp lệ.",
            )
            minutes = translation.ngettext("%(num)d minute", "%(num)d minutes", 5)
            self.assertEqual(minutes % {"num": 5}, "5 phút")
            # Django's own wrong translation is replaced.
            self.assertEqual(
                translation.gettext("Enter a whole number."), "Nhập một số nguyên."
            )
            # The project's own strings are Vietnamese already and stay as written.
            self.assertEqual(translation.gettext("Về trang chủ"), "Về trang chủ")

    def test_the_search_icon_is_described_in_vietnamese(self):
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertContains(response, 'alt="Tìm kiếm"')
        self.assertNotContains(response, 'alt="Search"')

    def test_the_admin_loads_the_vietnamese_for_its_icons_and_editor(self):
        # Django's yes/no icons say "True"/"False" and the body editor's
        # buttons "bold", outside any catalogue: a script puts them right.
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(response, "paper/admin-vi.js")

    def test_a_staff_member_lost_in_the_admin_gets_a_way_back_to_it(self):
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:index") + "khong-co-trang-nay/")
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertContains(
            response, f'href="{reverse("admin:index")}"', status_code=404
        )
        reader = Client().get("/khong-co-trang-nay/")
        self.assertContains(reader, "Về trang chủ", status_code=404)
        self.assertNotContains(reader, reverse("admin:index"), status_code=404)

    def test_the_admin_widgets_speak_vietnamese(self):
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:jsi18n"))
        for english, vietnamese in [
            ("Choose a Date", "Chọn Ngày"),
            ("Now", "Bây giờ"),
            ("Sunday", "Chủ nhật"),
            ("Hide", "Ẩn"),
            ("Insert Table", "Chèn bảng"),  # the article body's editor
        ]:
            self.assertContains(
                response, f"{json.dumps(english)}: {json.dumps(vietnamese)}"
            )


@override_settings(ROOT_URLCONF=__name__)
class ForbiddenPageTests(NewsroomTestCase):
    def test_a_reader_is_refused_in_vietnamese_with_a_way_home(self):
        response = Client().get("/cam/")
        self.assertContains(
            response, "Bạn không có quyền xem trang này", status_code=403
        )
        self.assertContains(
            response, f'href="{reverse("articles:home")}"', status_code=403
        )
        self.assertNotContains(response, "Forbidden", status_code=403)
        self.assertNotContains(response, reverse("admin:index"), status_code=403)

    def test_a_reporter_refused_in_the_admin_gets_the_vietnamese_page(self):
        self.client.force_login(self.reporter)
        response = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertContains(
            response, "Bạn không có quyền xem trang này", status_code=403
        )
        self.assertContains(
            response, f'href="{reverse("admin:index")}"', status_code=403
        )
        self.assertContains(
            response, f'href="{reverse("articles:home")}"', status_code=403
        )
        self.assertNotContains(response, "Forbidden", status_code=403)
