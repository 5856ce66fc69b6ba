"""Media on S3-compatible object storage (django-storages), configured from the environment.

``NEWSROOM_S3_BUCKET`` turns it on (newsroom/settings.py); every ``ImageField`` and the image
renditions (uploads/images.py) then go through ``default_storage`` to the bucket. Imported by
the settings module: nothing here may import Django's configured parts.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    region: str | None = None,
    public_url: str = "",
) -> dict:
    """``STORAGES["default"]`` for S3, MinIO, R2 or moto.

    Objects are public and linked at stable addresses (no expiring signatures in cached pages),
    under ``public_url`` when given (a CDN or the bucket's public address), and never
    overwritten in place: a second upload under a taken name gets a new one.
    """
    public = urlsplit(public_url) if public_url else None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "custom_domain": (public.netloc + public.path.rstrip("/")) if public else None,
            "url_protocol": f"{public.scheme}:" if public else "https:",
            "object_parameters": {"CacheControl": "public, max-age=604800"},
        },
    }
