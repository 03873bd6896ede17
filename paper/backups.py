"""A whole copy of the paper in one folder, and the way back.

A backup folder holds the database (``database.dump``, PostgreSQL's custom
format, or ``database.sqlite3``), the media files (``media/``) and
``backup.json``: when it was made, the rows of each table and a checksum of
every media file, which the restore checks against what it put back.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from pagecache.purge import purge_now

MANIFEST = "backup.json"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Summary:
    rows: dict[str, int]
    media_files: int
    media_bytes: int


def _row_counts() -> dict[str, int]:
    """Rows per model, for the tables this database has (an app added since
    the last migrate has none yet)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table in tables
    }


def _media_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _postgres(program: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the default database; the password goes
    through the environment, never the command line."""
    db = connection.settings_dict
    where = ["--dbname", db["NAME"], "--host", db.get("HOST") or "localhost"]
    where += ["--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        where += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    _run([program, *where, *arguments], env=env)


def backup(folder: Path) -> Summary:
    """Copy the database and the media into ``folder`` (made; must be new or
    empty). Raises BackupError with the reason."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup never overwrites one")
    folder.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _postgres("pg_dump", "--format=custom", "--no-owner", "--file",
                  str(folder / "database.dump"))  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            connection.connection.backup(target)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / "media")
    checksums = _media_checksums(folder / "media")
    rows = _row_counts()
    (folder / MANIFEST).write_text(
        json.dumps(
            {
                "made_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "rows": rows,
                "media": checksums,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    return Summary(rows, len(checksums), _size(folder / "media"))


def restore(folder: Path) -> Summary:
    """Put the backup in ``folder`` back into the database and media folder
    the settings name, replacing what is there, then check it against the
    manifest. Raises BackupError when something does not match."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {error}") from None
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['database']} database, "
            f"the settings name a {connection.vendor} one"
        )
    if connection.vendor == "postgresql":
        connection.close()
        _postgres("pg_restore", "--clean", "--if-exists", "--no-owner",
                  "--single-transaction", str(folder / "database.dump"))  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as source:
            source.backup(connection.connection)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if (folder / "media").exists():
        shutil.copytree(folder / "media", media)
    rows = _row_counts()
    problems = [
        f"{label}: {rows.get(label)} rows, the backup has {count}"
        for label, count in manifest["rows"].items()
        if rows.get(label) != count
    ]
    checksums = _media_checksums(media)
    if checksums != manifest["media"]:
        problems.append("the media files differ from the backup's checksums")
    if problems:
        raise BackupError("restored, but: " + "; ".join(problems))
    # Kept pages and front caches show what was there before.
    purge_now(["site"])
    return Summary(rows, len(checksums), _size(media))


def _size(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def _run(command: list[str], *, env: dict) -> None:
    try:
        subprocess.run(  # noqa: S603 - fixed programs, our own arguments
            command, check=True, capture_output=True, text=True, env=env
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None
