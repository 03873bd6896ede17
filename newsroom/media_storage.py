"""MEDIA_STORAGE_URL: where photos live when they are not on the local disk.

Read by the settings, so it imports nothing beyond the standard library and
Django's exception: a paper on the local disk never loads boto3.

    s3://BUCKET[/PREFIX]?endpoint_url=https://s3.example.com&region=ap-southeast-1

names an S3-compatible bucket (AWS S3 without ``endpoint_url``). Credentials
come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (or
whatever else boto3 finds: an instance role, ~/.aws); ``s3://KEY:SECRET@BUCKET``
also works, percent-encoded, for a host where one variable is easier.

Query parameters:
  endpoint_url      the service's address (MinIO, Ceph, DigitalOcean Spaces,
                    Cloudflare R2, Wasabi...); absent for AWS S3
  region            the bucket's region (also ``region_name``)
  addressing_style  ``path`` (bucket in the path; the default with an
                    endpoint_url) or ``virtual`` (bucket in the host name)
  acl               a canned ACL set on every object, e.g. ``public-read``
                    for a service without bucket policies; none by default,
                    so objects follow the bucket's own policy
  timeout           seconds to connect and to wait for an answer (default 5)
  attempts          tries per request, the first included (default 3)

Readers load the photos straight from the bucket, or from a CDN in front of it
named by MEDIA_URL (the address of the bucket's root, e.g.
``https://anh.baoduaxanh.vn/``). URLs carry no signature: the bucket (or the
CDN) must let anyone read.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_PARAMETERS = {
    "endpoint_url",
    "region",
    "region_name",
    "addressing_style",
    "acl",
    "timeout",
    "attempts",
}

BACKEND = "paper.storage.MediaStorage"


def _number(name: str, raw: str, kind=float):
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: {name} must be a positive number, not {raw!r}"
        )
    return value


def _public_root(
    *, bucket: str, endpoint: str, region: str, style: str, media_url: str
) -> str:
    """The address readers load the bucket's root from, ending in a slash."""
    if media_url:
        parts = urlsplit(media_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                "With MEDIA_STORAGE_URL, MEDIA_URL must be a full address such as "
                f"https://anh.example.vn/, not {media_url!r}"
            )
        return media_url.rstrip("/") + "/"
    if endpoint:
        parts = urlsplit(endpoint)
        path = parts.path.rstrip("/")
        if style == "virtual":
            return f"{parts.scheme}://{bucket}.{parts.netloc}{path}/"
        return f"{parts.scheme}://{parts.netloc}{path}/{bucket}/"
    host = (
        "s3.amazonaws.com"
        if region in ("", "us-east-1")
        else f"s3.{region}.amazonaws.com"
    )
    if "." in bucket or style == "path":
        # A dotted name does not match the wildcard TLS certificate.
        return f"https://{host}/{bucket}/"
    return f"https://{bucket}.{host}/"


def storage_settings(url: str, *, media_url: str = "") -> tuple[dict, str]:
    """The ``default`` entry of STORAGES and the MEDIA_URL for ``url``.

    Raises ImproperlyConfigured, naming the problem, for a URL it cannot use.
    """
    parts = urlsplit(url)
    bucket = parts.hostname or ""
    if parts.scheme != "s3" or not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like "
            f"s3://bucket?endpoint_url=https://s3.example.com, not {url!r}"
        )
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(query) - _PARAMETERS
    if unknown:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: unknown parameter(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_PARAMETERS))}"
        )
    endpoint = query.get("endpoint_url", "")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL: endpoint_url must start with https://, "
            f"not {endpoint!r}"
        )
    region = query.get("region_name") or query.get("region") or ""
    style = query.get("addressing_style") or ("path" if endpoint else "")
    if style not in ("", "path", "virtual"):
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: addressing_style is path or virtual, not {style!r}"
        )
    # s3://bucket/a/b keeps the paper's files under a/b/ in a shared bucket.
    prefix = unquote(parts.path).strip("/")
    root = _public_root(
        bucket=bucket,
        endpoint=endpoint,
        region=region,
        style=style,
        media_url=media_url,
    )
    public = urlsplit(root)
    options = {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": endpoint or None,
        "region_name": region or None,
        "addressing_style": style or None,
        # Files are public and pages that print their URLs are cached: an
        # expiring signature would break the kept pages.
        "querystring_auth": False,
        "custom_domain": public.netloc + public.path.rstrip("/"),
        "url_protocol": f"{public.scheme}:",
        # Two uploads named alike must not replace each other: a photo's
        # renditions are cached for a year under their name.
        "file_overwrite": False,
        "default_acl": query.get("acl") or None,
        "timeout": _number("timeout", query.get("timeout", "5")),
        "attempts": _number("attempts", query.get("attempts", "3"), int),
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": BACKEND, "OPTIONS": options}, root + (
        f"{prefix}/" if prefix else ""
    )
