"""The WordPress import, one module per concept, all importable from here.

``wordpress_import()`` (importer.py) reads the export and hands each record to
the writer of its kind: authors.py, terms.py, media.py, posts.py, comments.py,
each a class on top of base.py (the run's state, bookkeeping and redirects).
"""

from .authors import DEFAULT_ROLE, ROLES, parse_roles
from .base import Options
from .importer import check_file, wordpress_import

__all__ = [
    "DEFAULT_ROLE",
    "ROLES",
    "Options",
    "check_file",
    "parse_roles",
    "wordpress_import",
]
