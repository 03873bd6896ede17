"""The benchmark's archive, one module per concept, all importable from here:
building it (builder.py), its articles' rows (rows.py), writing them
(loading.py), the tables it fills (tables.py) and the words it is made of
(vocabulary.py)."""

from .builder import ArchiveBuilder, ArchiveSize, build_archive
from .tables import ARCHIVE_MODELS, PHOTO_PREFIX, archive_counts, delete_archive
from .vocabulary import ACTIONS, PLACES, SECTION_TREE, TOPICS

__all__ = [
    "ACTIONS",
    "ARCHIVE_MODELS",
    "PHOTO_PREFIX",
    "PLACES",
    "SECTION_TREE",
    "TOPICS",
    "ArchiveBuilder",
    "ArchiveSize",
    "archive_counts",
    "build_archive",
    "delete_archive",
]
