"""Model fields for text that people type or paste (see paper/text.py)."""

from django.db import models

from .text import plain


class _PlainText:
    multiline = False

    def to_python(self, value):
        # Cleaned on every full_clean() (admin forms, services) before the
        # validators count characters...
        value = super().to_python(value)
        if isinstance(value, str):
            value = plain(value, multiline=self.multiline)
        return value

    def pre_save(self, model_instance, add):
        # ...and on every save(), a shell's or an import's included.
        value = self.to_python(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


class PlainCharField(_PlainText, models.CharField):
    """A line of text: no control characters, bidi overrides or line breaks."""


class PlainTextField(_PlainText, models.TextField):
    """Lines of text: no control characters or bidi overrides."""

    multiline = True
