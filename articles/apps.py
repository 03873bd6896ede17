from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Bài viết")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from pagecache.purge import watch, watch_clock

        from . import models

        # Pillow refuses (DecompressionBombError) anything over twice this and
        # warns over it; articles/images.py turns both into a clear refusal.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS

        # Kept reader pages follow every write to what they print.
        for model in (
            models.Article,
            models.Credit,
            models.Section,
            models.Contributor,
            models.Tag,
            models.TaggedArticle,
            models.Photo,
            models.ArticlePhoto,
            models.GalleryPhoto,
            models.Video,
            models.ArticleVideo,
            models.Correction,
        ):
            watch(model, model.purge_keys)
        watch_clock(models.Article.objects.next_visibility_change)
