"""Featured images from the WordPress uploads folder: attached when good, reported when not."""

import pytest

from archive.models import ImportedArticle
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
