from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Bài viết")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow refuses (DecompressionBombError) anything over twice this and
        # warns over it; articles/images.py turns both into a clear refusal.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
