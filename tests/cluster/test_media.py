"""Media on S3-compatible storage: a desk upload and its renditions land in the bucket of a real
S3 server (moto's server mode), without EXIF, and are served at the public media address."""

import io

import pytest
from PIL import Image

from tests.factories import image_upload, make_article
from tools.cluster.engines import BUCKET, S3_KEY, S3_SECRET
from uploads.storage import s3_storage

from .conftest import call

pytestmark = [pytest.mark.cluster, pytest.mark.django_db]


@pytest.fixture
def bucket(cluster, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=BUCKET,
            endpoint_url=cluster.s3.endpoint,
            access_key=S3_KEY,
            secret_key=S3_SECRET,
            region="us-east-1",
            public_url=cluster.nginx.url + "/media",
        ),
    }
    settings.MEDIA_URL = cluster.nginx.url + "/media/"
    return cluster.s3.client()


def exif_bytes() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # GPSInfo
    return exif.tobytes()


def stored_image(client, key: str) -> Image.Image:
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def test_desk_upload_and_renditions_go_to_the_bucket(bucket, admin_client, cluster):
    upload = image_upload("بحر.jpg", size=(1200, 800), exif=exif_bytes())
    response = admin_client.post(
        "/ar/admin/articles/mediaimage/add/",
        {
            "image": upload,
            "alt_text_ar": "صورة البحر",
            "caption_ar": "",
            "credit": "",
            # The focal point as the desk's form sends it untouched: the image's centre (%).
            "focal_x": "50",
            "focal_y": "50",
        },
    )
    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 302, errors
    from articles.models import MediaImage

    library = MediaImage.objects.get(alt_text="صورة البحر")
    assert [r["width"] for r in library.renditions] == [480, 960, 1200]
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert library.image.name in keys
    assert not stored_image(bucket, library.image.name).getexif()  # re-encoded on upload
    for rendition in library.renditions:
        for kind in ("webp", "jpg"):
            assert rendition[kind] in keys
            image = stored_image(bucket, rendition[kind])
            assert image.width == rendition["width"]
            assert not image.getexif()

    # Pages link to the public media address; nginx serves it from the bucket.
    url = library.image.storage.url(library.renditions[0]["webp"])
    assert url.startswith(cluster.nginx.url + "/media/renditions/")
    served = call(cluster.nginx.url, url.removeprefix(cluster.nginx.url))
    assert served.status == 200
    assert Image.open(io.BytesIO(served.body)).format == "WEBP"


def test_article_image_renditions_in_the_bucket(bucket):
    article = make_article(image=image_upload(size=(1000, 700), exif=exif_bytes()))
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert article.image.name in keys
    for rendition in article.image_renditions:
        assert {rendition["webp"], rendition["jpg"]} <= keys
    # A second upload of the same name never replaces the first object.
    again = make_article(image=image_upload(size=(1000, 700)))
    assert again.image.name != article.image.name


@pytest.mark.django_db(transaction=True)  # pg_dump must see committed rows
def test_backup_and_restore_carry_the_bucket(bucket, tmp_path):
    import uuid

    from django.db import connection

    from ops.backups import create_backup, drop_database, restore_backup

    article = make_article(image=image_upload(size=(600, 400)))
    names = [article.image.name]
    names += [r[kind] for r in article.image_renditions for kind in ("webp", "jpg")]
    originals = {n: bucket.get_object(Bucket=BUCKET, Key=n)["Body"].read() for n in names}
    folder = create_backup(tmp_path)
    for name in names:  # the bucket loses them
        bucket.delete_object(Bucket=BUCKET, Key=name)
    scratch = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    try:
        restore_backup(folder, dbname=scratch)
    finally:
        drop_database(connection.settings_dict, scratch)
    for name in names:
        assert bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read() == originals[name]


def test_images_kept_for_a_returned_form_live_in_the_bucket_and_are_purged(bucket, settings):
    """uploads/kept.py on object storage: kept under pending/, claimed back, then
    deleted by purge_kept_uploads once older than NEWSROOM_KEPT_UPLOAD_SECONDS."""
    from datetime import timedelta

    from django.contrib.auth.models import User

    from uploads import kept as kept_uploads

    user = User.objects.create_user("kept-s3")
    kept = kept_uploads.keep(image_upload("مرفأ.jpg", exif=exif_bytes()), user=user)
    assert kept.path.startswith("pending/")
    assert not stored_image(bucket, kept.path).getexif()  # re-encoded before it is kept
    assert kept_uploads.claim(kept.token, user=user).size > 0
    assert kept_uploads.purge(older_than=timedelta(hours=1)) == 0  # fresh: kept
    assert kept_uploads.purge(older_than=timedelta(0)) == 1
    with pytest.raises(bucket.exceptions.ClientError):
        bucket.head_object(Bucket=BUCKET, Key=kept.path)
