"""Writes on articles and photos that carry rules, one module per concept.

``workflow``: who may edit an article and how it moves between states;
``records``: the revisions and audit entries kept of it; ``corrections``;
``photos``: the photo pipeline; ``videos``: the video library. Every public
name is importable from here.
"""

from .corrections import correction_publish
from .photos import photo_create, photo_delete, photo_make_renditions
from .records import (
    RESTORED_FIELDS,
    REVISION_FIELDS,
    article_record_revision,
    describe_changes,
)
from .videos import video_create, video_delete, video_save, video_take_file
from .workflow import (
    TRANSITIONS,
    Transition,
    allowed_transitions,
    article_publish,
    article_publish_due,
    article_restore,
    article_save,
    article_transition,
    article_unpublish,
    can_edit,
    check_transition,
    stale_save_message,
)

__all__ = [
    "RESTORED_FIELDS",
    "REVISION_FIELDS",
    "TRANSITIONS",
    "Transition",
    "allowed_transitions",
    "article_publish",
    "article_publish_due",
    "article_record_revision",
    "article_restore",
    "article_save",
    "article_transition",
    "article_unpublish",
    "can_edit",
    "check_transition",
    "correction_publish",
    "describe_changes",
    "photo_create",
    "photo_delete",
    "photo_make_renditions",
    "stale_save_message",
    "video_create",
    "video_delete",
    "video_save",
    "video_take_file",
]
