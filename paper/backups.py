"""A whole copy of the paper in one folder, and the way back.

A backup folder holds the database (``database.dump``, PostgreSQL's custom
format, or ``database.sqlite3``), the media files (``media/``) and
``backup.json``: when it was made, the rows of each table and a checksum of
every media file, which the restore checks against what it put back.

The media come from, and go back to, wherever the settings keep them: the
MEDIA_ROOT folder, or the bucket MEDIA_STORAGE_URL names (its objects under
the URL's prefix, laid out in ``media/`` as on a local disk). A backup of one
can be restored into the other.
"""

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
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
    bucket = _bucket()
    if bucket is not None:
        bucket.download(folder / "media")
    elif Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, folder / "media")
    checksums = _media_checksums(folder / "media")
    rows = _row_counts()
    (folder / MANIFEST).write_text(
        json.dumps(
            {
                "made_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "rows": rows,
                "media_from": bucket.where if bucket is not None else "MEDIA_ROOT",
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
    bucket = _bucket()
    if bucket is not None:
        checksums, media_bytes = bucket.upload(folder / "media")
    else:
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (folder / "media").exists():
            shutil.copytree(folder / "media", media)
        checksums, media_bytes = _media_checksums(media), _size(media)
    rows = _row_counts()
    problems = [
        f"{label}: {rows.get(label)} rows, the backup has {count}"
        for label, count in manifest["rows"].items()
        if rows.get(label) != count
    ]
    if checksums != manifest["media"]:
        problems.append("the media files differ from the backup's checksums")
    if problems:
        raise BackupError("restored, but: " + "; ".join(problems))
    # Kept pages and front caches show what was there before.
    purge_now(["site"])
    return Summary(rows, len(checksums), media_bytes)


def _size(root: Path) -> int:
    if not root.exists():
        return 0
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def _bucket() -> "_Bucket | None":
    """The media bucket when the media are on object storage, else None."""
    storage = storages["default"]
    if not hasattr(storage, "bucket_name"):
        return None
    from storages.backends.s3 import S3Storage  # boto3 only for a bucket

    return _Bucket(storage) if isinstance(storage, S3Storage) else None


class _Bucket:
    """The objects of the media storage's bucket under its prefix, copied to
    and from a folder. Many files travel at once: each is a round trip."""

    WORKERS = 16  # MediaStorage keeps as many connections open

    def __init__(self, storage):
        self.storage = storage
        self.name = storage.bucket_name
        self.prefix = f"{storage.location.strip('/')}/" if storage.location else ""
        self.where = f"s3://{self.name}/{self.prefix}"
        # Clients, unlike boto3's resources, may be shared between threads.
        self.client = storage.connection.meta.client

    def objects(self) -> dict[str, int]:
        """name under the prefix: bytes."""
        found = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=self.prefix
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                name = entry["Key"][len(self.prefix) :]
                if name and not name.endswith("/"):
                    found[name] = entry["Size"]
        return found

    def _map(self, work, items) -> list:
        with ThreadPoolExecutor(self.WORKERS) as pool:
            return list(pool.map(work, items))

    @contextmanager
    def _errors(self):
        """A refusal or an outage of the service, as a BackupError."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError) as error:
            raise BackupError(f"the bucket {self.where}: {error}") from None

    def download(self, root: Path) -> None:
        """Every object into ``root``, at the same relative paths."""
        root = root.resolve()

        def fetch(name: str) -> None:
            target = (root / name).resolve()
            if not target.is_relative_to(root):
                raise BackupError(f"the bucket holds an object named {name!r}")
            answer = self.client.get_object(Bucket=self.name, Key=self.prefix + name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(answer["Body"].read())

        with self._errors():
            self._map(fetch, sorted(self.objects()))

    def upload(self, root: Path) -> tuple[dict[str, str], int]:
        """Make the bucket hold what ``root`` holds: every file put (with the
        headers an upload gets), then every other object deleted. Returns the
        checksums of the files the bucket then lists at their size, and the
        bytes sent."""
        files = (
            sorted(
                str(path.relative_to(root).as_posix())
                for path in root.rglob("*")
                if path.is_file()
            )
            if root.exists()
            else []
        )

        def put(name: str) -> tuple[str, str, int]:
            data = (root / name).read_bytes()
            key = self.prefix + name
            # What the storage's own save sends: type, cache header, ACL.
            params = self.storage._get_write_parameters(key)
            # The service refuses the object if it did not get these bytes.
            md5 = hashlib.md5(data, usedforsecurity=False).digest()
            params["ContentMD5"] = base64.b64encode(md5).decode()
            self.client.put_object(Bucket=self.name, Key=key, Body=data, **params)
            return name, hashlib.sha256(data).hexdigest(), len(data)

        with self._errors():
            sent = self._map(put, files)
            stored = self.objects()
            extra = sorted(set(stored) - set(files))
            for start in range(0, len(extra), 1000):  # the most one request takes
                batch = extra[start : start + 1000]
                answer = self.client.delete_objects(
                    Bucket=self.name,
                    Delete={
                        "Objects": [{"Key": self.prefix + name} for name in batch],
                        "Quiet": True,
                    },
                )
                if answer.get("Errors"):
                    raise BackupError(
                        f"the bucket {self.where} kept objects the backup does "
                        f"not have: {answer['Errors'][0]}"
                    )
        confirmed = {
            name: sha256
            for name, sha256, size in sent
            if name in stored and stored[name] == size
        }
        return confirmed, sum(size for _name, _sha256, size in sent)


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
