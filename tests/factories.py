"""factory_boy factories for the newsroom's people and content."""

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticlePhoto, Contributor, Credit, Photo, Section
from comments.models import Comment


def image_bytes(size=(64, 48), colour=(180, 40, 40), fmt="JPEG") -> bytes:
    """A small real image made in memory."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("mat-khau-an-toan-2026")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")
    slug = factory.Sequence(lambda n: f"chuyen-muc-{n}")
    order = factory.Sequence(lambda n: n)


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Phóng viên {n}")
    slug = factory.Sequence(lambda n: f"phong-vien-{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="anh.jpg"))
    caption = factory.Sequence(lambda n: f"Chú thích ảnh số {n}")
    alt_text = "Người dân thu hoạch dừa bên bờ sông"
    photographer = factory.SubFactory(ContributorFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tin tức địa phương số {n}")
    section = factory.SubFactory(SectionFactory)
    lead = "DXO – Ngày 18-2-2026, tỉnh tổ chức hội nghị tổng kết công tác dân vận."
    body = "<p>Đoạn thứ nhất của bài.</p><p>Đoạn thứ hai của bài.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    roles = factory.LazyFunction(lambda: ["text", "photo"])


class ArticlePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    after_paragraph = 1


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Bạn đọc {n}")
    email = factory.Sequence(lambda n: f"bandoc{n}@example.com")
    body = "Bài viết rất hữu ích cho bà con."
    status = Comment.Status.APPROVED


def comment_post_data(article, *, seconds_ago: int = 60, **fields) -> dict:
    """A reader's comment form as the browser sends it, served a minute ago."""
    from comments.defences import clock, form_token

    data = {
        "name": "Trần Thị Mai",
        "email": "mai.tran@example.com",
        "body": "Rất hay!",
        "website": "",
        "token": form_token(article.pk, clock() - seconds_ago),
    }
    data.update(fields)
    return data
