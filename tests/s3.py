"""An S3-compatible object store for the tests: moto's server, started in this
process on a free port (the fixtures in tests/conftest.py), spoken to over
HTTP by the paper's storage exactly as a real service would be."""

import json
import uuid
from contextlib import contextmanager
from unittest import mock

import boto3
from botocore.config import Config
from botocore.httpsession import URLLib3Session
from django.test import override_settings

from newsroom import media_storage
from tests.base import TEST_SETTINGS

# Any keys do for moto; given in the URL, as an operator may.
KEY, SECRET = "test-key", "test-secret"


def public_read_policy(bucket: str) -> str:
    """What the README tells an operator to put on the bucket."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadForPhotos",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


class Bucket:
    """A fresh bucket on the test server, and the settings that put the
    paper's media in it."""

    def __init__(self, endpoint: str, *, prefix: str = ""):
        self.endpoint = endpoint
        self.name = f"toasoan-{uuid.uuid4().hex[:12]}"
        self.prefix = prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            config=Config(retries={"max_attempts": 1}),
        )
        self.client.create_bucket(Bucket=self.name)
        self.client.put_bucket_policy(
            Bucket=self.name, Policy=public_read_policy(self.name)
        )

    def url(self, endpoint: str | None = None) -> str:
        """MEDIA_STORAGE_URL for this bucket; one attempt, a short timeout."""
        return (
            f"s3://{KEY}:{SECRET}@{self.name}/{self.prefix}"
            f"?endpoint_url={endpoint or self.endpoint}&region=us-east-1"
            "&timeout=2&attempts=1"
        )

    def settings(self, endpoint: str | None = None) -> dict:
        storage, media_url = media_storage.storage_settings(self.url(endpoint))
        return {
            "STORAGES": {**TEST_SETTINGS["STORAGES"], "default": storage},
            "MEDIA_URL": media_url,
        }

    @contextmanager
    def in_use(self, endpoint: str | None = None):
        with override_settings(**self.settings(endpoint)):
            yield self

    @property
    def public_root(self) -> str:
        """Where readers load the paper's objects from (path-style addressing)."""
        return f"{self.endpoint}/{self.name}/{self.prefix}"

    @property
    def where(self) -> str:
        return f"s3://{self.name}/{self.prefix}"

    def names(self) -> set[str]:
        """Every object's name, relative to the paper's prefix."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {
            entry["Key"].removeprefix(self.prefix)
            for page in pages
            for entry in page.get("Contents", ())
        }

    def read(self, name: str) -> bytes:
        answer = self.client.get_object(Bucket=self.name, Key=self.prefix + name)
        return answer["Body"].read()

    def head(self, name: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=self.prefix + name)

    def empty(self) -> None:
        for key in self.names():
            self.client.delete_object(Bucket=self.name, Key=self.prefix + key)

    def remove(self) -> None:
        self.empty()
        self.client.delete_bucket(Bucket=self.name)


@contextmanager
def storage_requests():
    """Counts the HTTP requests botocore sends, from any client, while inside."""
    sent: list[str] = []
    real_send = URLLib3Session.send

    def send(session, request):
        sent.append(f"{request.method} {request.url}")
        return real_send(session, request)

    with mock.patch.object(URLLib3Session, "send", send):
        yield sent
