"""Featured images from the WordPress uploads folder: attached when good, reported when not."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation
from PIL import Image

from archive.models import ImportedArticle
from articles.models import MediaImage
from tests.archive.wxr_factory import item, meta, wxr
from tests.factories import image_upload

pytestmark = pytest.mark.django_db


def attachment(post_id, file, alt=""):
    return item(
        post_id,
        f"صورة {post_id}",
        post_type="attachment",
        status="inherit",
        attachment_url=f"https://old.example.com/wp-content/uploads/{file}",
        metas=(meta("_wp_attached_file", file), meta("_wp_attachment_image_alt", alt)),
    )


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2017" / "04"
    folder.mkdir(parents=True)
    (folder / "good.jpg").write_bytes(image_upload(size=(1200, 800)).read())
    (folder / "bad.jpg").write_text("not an image at all")
    return tmp_path / "uploads"


def test_featured_images(run_import, tmp_path, uploads):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            attachment(11, "2017/04/bad.jpg"),
            item(1, "خبر بصورة جيدة", metas=(meta("_thumbnail_id", 10),)),  # attachment follows
            item(2, "خبر بصورة تالفة", metas=(meta("_thumbnail_id", 11),)),
            item(3, "خبر بصورة مفقودة", metas=(meta("_thumbnail_id", 99),)),
            attachment(10, "2017/04/good.jpg", alt="مقاتلون على الحدود"),
        ),
        encoding="utf-8",
    )
    summary = run_import(path, uploads=str(uploads))

    assert "created: 3" in summary
    assert "featured images: 1 attached, 2 not" in summary
    assert "featured image 2017/04/bad.jpg refused" in summary
    assert "featured image 99 is not in the export" in summary
    good = ImportedArticle.objects.get(source_id="1").article
    assert good.image.name.startswith("articles/")
    assert good.image_alt == "مقاتلون على الحدود"
    assert [r["width"] for r in good.image_renditions] == [480, 960, 1200]
    assert not ImportedArticle.objects.get(source_id="2").article.image

    again = run_import(path, uploads=str(uploads))
    assert "created: 0" in again and "updated: 0" in again  # the image is not attached twice


def test_images_can_come_with_a_later_run(run_import, tmp_path, uploads):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(1, "خبر بصورة", metas=(meta("_thumbnail_id", 10),)),
            attachment(10, "2017/04/good.jpg"),
        ),
        encoding="utf-8",
    )
    run_import(path)  # without --uploads
    article = ImportedArticle.objects.get(source_id="1").article
    assert not article.image

    summary = run_import(path, uploads=str(uploads))
    article.refresh_from_db()
    assert article.image and article.image_alt == "خبر بصورة"  # no alt in WordPress: the title
    assert "featured images: 1 attached, 0 not" in summary


def exif_photo(size=(900, 600)):
    """A JPEG carrying a camera's GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x8825] = {2: (33.0, 30.0, 0.0)}  # GPSInfo: latitude
    return image_upload(size=size, exif=exif).read()


@pytest.fixture
def old_site(tmp_path):
    """The old site, really served over HTTP on loopback: its wp-content/uploads folder."""
    root = tmp_path / "old-site"
    folder = root / "wp-content" / "uploads" / "2016" / "02"
    folder.mkdir(parents=True)
    (folder / "fetched.jpg").write_bytes(exif_photo())
    (folder / "fake.jpg").write_text("<html><script>alert(1)</script></html>")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):
        QuietHandler.requests.append(self.path)


def test_images_in_the_body_are_stored_here_without_exif(run_import, tmp_path, uploads):
    (uploads / "2017" / "04" / "camera.jpg").write_bytes(exif_photo())
    old = "https://old.example.com/wp-content/uploads/2017/04"
    body = (
        f'<p>قبل</p><p><img src="{old}/camera.jpg" alt="الساحة"></p>'
        f"<p><img src='{old}/camera.jpg'></p>"  # the same image twice: stored once
        f'<p><img src="{old}/gone.jpg" alt="مفقودة"></p>'
        '<p><img src="https://elsewhere.example/x.jpg" alt="خارجية"></p>'
    )
    path = tmp_path / "export.xml"
    path.write_text(wxr(item(1, "خبر بصور في نصه", content=body)), encoding="utf-8")
    summary = run_import(path, uploads=str(uploads))

    assert "created: 1" in summary
    assert "images in the bodies stored: 1" in summary  # used twice, stored once
    assert "image in the body not found: 2017/04/gone.jpg" in summary
    article = ImportedArticle.objects.get(source_id="1").article
    stored = MediaImage.objects.get()
    assert stored.image.name == "library/imported/2017/04/camera.jpg"
    assert stored.alt_text == "خبر بصور في نصه"
    assert [r["width"] for r in stored.renditions] == [480, 900]
    assert article.body_ar.count(f'src="{stored.image.url}"') == 2
    assert f"{old}/gone.jpg" in article.body_ar  # kept, reported above
    assert "https://elsewhere.example/x.jpg" in article.body_ar  # not the old site's: left
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()  # no camera, no GPS position

    again = run_import(path, uploads=str(uploads))
    assert "created: 0" in again and MediaImage.objects.count() == 1


def test_nothing_is_fetched_without_fetch_media(run_import, tmp_path, old_site):
    base, _server = old_site
    QuietHandler.requests.clear()
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(1, "خبر", metas=(meta("_thumbnail_id", 10),),
                 content=f'<img src="{base}/wp-content/uploads/2016/02/fetched.jpg">'),
            item(10, "صورة", post_type="attachment", status="inherit",
                 attachment_url=f"{base}/wp-content/uploads/2016/02/fetched.jpg"),
        ),
        encoding="utf-8",
    )  # fmt: skip
    summary = run_import(path, uploads=str(tmp_path))  # a folder without the files

    assert "featured images: 0 attached, 2 not" in summary
    assert QuietHandler.requests == []
    assert not ImportedArticle.objects.get(source_id="1").article.image


def test_fetch_media_downloads_what_the_folder_lacks(run_import, tmp_path, old_site):
    base, _server = old_site
    QuietHandler.requests.clear()
    uploads = f"{base}/wp-content/uploads/2016/02"
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(1, "خبر بصورة من الموقع القديم", metas=(meta("_thumbnail_id", 10),),
                 content=f'<p><img src="{uploads}/fetched.jpg" alt="صورة"></p>'),
            item(2, "خبر بصورة مزيفة", metas=(meta("_thumbnail_id", 11),)),
            item(3, "خبر بصورة غائبة", metas=(meta("_thumbnail_id", 12),)),
            item(10, "صورة", post_type="attachment", status="inherit",
                 attachment_url=f"{uploads}/fetched.jpg"),
            item(11, "مزيفة", post_type="attachment", status="inherit",
                 attachment_url=f"{uploads}/fake.jpg"),
            item(12, "غائبة", post_type="attachment", status="inherit",
                 attachment_url=f"{uploads}/absent.jpg"),
        ),
        encoding="utf-8",
    )  # fmt: skip
    summary = run_import(path, fetch_media=True)

    assert "created: 3" in summary
    assert "featured images: 1 attached, 2 not" in summary
    assert "featured image 2016/02/fake.jpg refused" in summary
    assert "could not be fetched from" in summary and "absent.jpg" in summary
    assert "images in the bodies stored: 1" in summary
    article = ImportedArticle.objects.get(source_id="1").article
    assert article.image.name.startswith("articles/")
    assert [r["width"] for r in article.image_renditions] == [480, 900]
    assert f'src="{MediaImage.objects.get().image.url}"' in article.body_ar
    assert "/wp-content/uploads/2016/02/fetched.jpg" in QuietHandler.requests
    assert not ImportedArticle.objects.get(source_id="2").article.image


def test_fetch_media_refuses_other_schemes_and_big_files(settings, tmp_path, old_site):
    from archive.media import MediaMissing, MediaSource

    base, _server = old_site
    source = MediaSource(fetch=True)
    with pytest.raises(MediaMissing, match="عبر http وhttps فقط"):
        source.read("", "file:///etc/passwd")
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    with translation.override("en"), pytest.raises(MediaMissing, match="larger than the image"):
        source.read("", f"{base}/wp-content/uploads/2016/02/fetched.jpg")
    assert source.fetched == 0


def test_an_oversized_file_in_the_uploads_folder_is_refused_unread(settings, uploads):
    from archive.media import MediaMissing, MediaSource

    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    with translation.override("en"), pytest.raises(MediaMissing, match="larger than the image"):
        MediaSource(uploads).read("2017/04/good.jpg")
