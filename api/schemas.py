"""What the API answers and accepts, as pydantic models.

The OpenAPI description is generated from these models, and every answer is
validated against them before it is sent: the documentation cannot drift from
the data. Descriptions are in Vietnamese, for the paper's developers and
partners.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from pydantic import BaseModel, Field

from articles.credits import Role
from articles.models import Article, Correction

MAX_PAGE_SIZE = 100
# The paper's archive starts in the last century; dates outside these bounds
# are typing mistakes (and 0001-01-01 in +07:00 is before the first UTC day).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

RoleName = Literal[tuple(Role.values)]
ArticleKind = Literal[tuple(Article.Kind.values)]
CorrectionKind = Literal[tuple(Correction.Kind.values)]


class Error(BaseModel):
    detail: str = Field(description="Lý do, bằng tiếng Việt.")


class Gone(Error):
    corrections: list[str] = Field(
        description="Địa chỉ các tin cải chính đăng riêng về bài này."
    )


class Rendition(BaseModel):
    url: str
    width: int
    height: int
    format: Literal["webp", "jpeg", "png"]
    crop: Literal["full", "card", "share", "original"] = Field(
        description="full: cả ảnh; card: khung 3:2 quanh tiêu điểm; share: "
        "1200×630 để chia sẻ; original: bản gốc, khi chưa có bản thu nhỏ."
    )


class Photo(BaseModel):
    id: int
    caption: str = Field(description="Chú thích như in dưới ảnh trong bài.")
    alt: str = Field(description="Mô tả cho người khiếm thị.")
    credit: str = Field(description="Người chụp hoặc nguồn ảnh.")
    width: int
    height: int
    renditions: list[Rendition] = Field(description="Từ nhỏ đến lớn, mỗi khung.")


class BodyPhoto(Photo):
    after_paragraph: int = Field(
        description="Ảnh đứng sau khối thứ mấy của body_html (0: trước khối đầu)."
    )


class SectionRef(BaseModel):
    id: int
    slug: str
    name: str
    url: str = Field(description="Trang chuyên mục trên báo.")


class TagRef(BaseModel):
    id: int
    slug: str
    name: str
    url: str


class ContributorRef(BaseModel):
    id: int
    slug: str
    name: str
    url: str


class Credit(BaseModel):
    contributor: ContributorRef
    roles: list[RoleName]
    role_labels: list[str] = Field(description="Tên vai trò: Nội dung, Ảnh…")


class Source(BaseModel):
    name: str
    url: str | None


class CorrectionOut(BaseModel):
    kind: CorrectionKind
    label: str
    text: str
    false_content: str
    corrected_content: str
    published_at: datetime
    url: str | None = Field(description="Trang riêng của một tin cải chính.")


class ArticleSummary(BaseModel):
    id: int
    title: str
    slug: str
    kind: ArticleKind
    canonical_url: str = Field(description="Địa chỉ chính thức của bài trên báo.")
    api_url: str
    lead: str = Field(description="Sapo.")
    section: SectionRef
    tags: list[TagRef]
    credits: list[Credit]
    byline: str = Field(description="Dòng ghi công: “Bài: … - Ảnh: …”.")
    published_at: datetime = Field(description="Giờ Việt Nam (+07:00).")
    updated_at: datetime
    lead_photo: Photo | None


class ArticleDetail(ArticleSummary):
    body_html: str = Field(
        description="Thân bài đã lọc như trên trang: chỉ các thẻ của trình soạn "
        "thảo. Ảnh trong bài ở body_photos."
    )
    body_photos: list[BodyPhoto]
    gallery: list[Photo] = Field(description="Phóng sự ảnh, theo thứ tự.")
    source: Source | None
    corrections: list[CorrectionOut]


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    next: str | None = Field(description="Trang sau; null ở trang cuối.")


class SectionOut(BaseModel):
    id: int
    slug: str
    name: str
    description: str
    parent: str | None = Field(description="Slug của chuyên mục cha.")
    url: str
    articles_url: str


class SectionList(BaseModel):
    items: list[SectionOut]
    next: None = None


class TagOut(TagRef):
    articles_url: str


class TagPage(BaseModel):
    items: list[TagOut]
    next: str | None


class ContributorOut(ContributorRef):
    bio: str
    articles_url: str


class ContributorPage(BaseModel):
    items: list[ContributorOut]
    next: str | None


class Index(BaseModel):
    articles: str
    sections: str
    tags: str
    contributors: str
    print_issues: str
    openapi: str = Field(description="Bản mô tả OpenAPI 3 của API này.")


# ``date`` is also a field's name below: a class body would see the field.
Day = date


class PagePicture(BaseModel):
    url: str
    width: int
    height: int
    format: Literal["webp", "jpeg"]


class PrintIssueSummary(BaseModel):
    id: int
    date: Day = Field(description="Ngày phát hành.")
    number: int = Field(description="Số in trên măng-sét.")
    label: str = Field(description="Như trang Báo in ghi: “Số 5123 ngày 02/03/2026”.")
    canonical_url: str = Field(description="Trang của số báo trên trang Báo in.")
    api_url: str
    pdf_url: str = Field(description="Bản PDF của cả số báo.")
    pdf_size: int = Field(description="Dung lượng bản PDF, tính bằng byte.")
    page_count: int
    cover: list[PagePicture] = Field(
        description="Ảnh trang nhất, từ nhỏ đến lớn: ảnh nhỏ 240 px (WebP), "
        "800 px (WebP và JPEG), ảnh lớn nhất (WebP)."
    )


class PrintPage(BaseModel):
    number: int
    url: str = Field(description="Trang này trên trang Báo in.")
    pictures: list[PagePicture] = Field(description="Từ nhỏ đến lớn, như cover.")
    text: str = Field(description="Chữ trên trang, như lấy ra từ bản PDF.")


class PrintIssueDetail(PrintIssueSummary):
    pages: list[PrintPage] = Field(description="Mọi trang, theo thứ tự.")


class PrintIssuePage(BaseModel):
    items: list[PrintIssueSummary]
    next: str | None = Field(description="Trang sau; null ở trang cuối.")


class Paging(BaseModel):
    cursor: str | None = Field(
        None, max_length=500, description="Từ liên kết next của trang trước."
    )
    page_size: int = Field(
        settings.ARTICLES_PER_PAGE, ge=1, le=MAX_PAGE_SIZE, description="1 đến 100."
    )


# A slug as Django's SlugField takes it: what a filter names, nothing else.
SLUG = r"^[-a-zA-Z0-9_]*$"


class ArticleFilters(Paging):
    section: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG,
        description="Slug chuyên mục; gồm cả chuyên mục con.",
    )
    tag: str | None = Field(
        None, max_length=100, pattern=SLUG, description="Slug từ khóa."
    )
    contributor: str | None = Field(
        None, max_length=100, pattern=SLUG, description="Slug tác giả."
    )
    from_: date | None = Field(
        None,
        alias="from",
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Đăng từ ngày này (YYYY-MM-DD, giờ Việt Nam).",
    )
    to: date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Đăng đến hết ngày này (YYYY-MM-DD, giờ Việt Nam).",
    )
    q: str | None = Field(
        None,
        max_length=200,
        description="Tìm như trang tìm kiếm: không phân biệt dấu, cả cụm từ.",
    )


class PrintIssueFilters(Paging):
    from_: date | None = Field(
        None,
        alias="from",
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Phát hành từ ngày này (YYYY-MM-DD).",
    )
    to: date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Phát hành đến hết ngày này (YYYY-MM-DD).",
    )
