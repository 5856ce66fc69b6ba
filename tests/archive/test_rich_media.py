"""WordPress rich media imported as ours: every embed, video, audio, gallery and caption
kind of shortcode and block, run twice; nested CDATA; an export without its WXR version."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from archive.models import ImportedArticle, ImportedGallery
from archive.wxr import WXRReader, autop
from articles.models import MediaImage
from embeds.cache import resolving_links
from embeds.models import Embed, Gallery, GalleryItem
from embeds.services import register
from tests.archive.wxr_factory import (
    attachment,
    embed_block,
    gallery_block,
    gallery_block_classic,
    item,
    wxr,
)
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=abcdefghijk"
TWEET = "https://x.com/health/status/1234567890"
VIMEO = "https://vimeo.com/76979871"
FILES = "https://old.example.com/wp-content/uploads/2017/04/"


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2017" / "04"
    folder.mkdir(parents=True)
    for number in range(21, 32):
        name = f"{number}.jpg"
        (folder / name).write_bytes(image_upload(name, size=(640, 480)).read())
    return tmp_path / "uploads"


def body_of(post_id) -> str:
    return ImportedArticle.objects.get(source_id=str(post_id)).article.body_ar


def gallery_in(post_id) -> Gallery:
    return ImportedGallery.objects.get(source_id=str(post_id), number=0).gallery


def items_of(gallery):
    return [
        (item.image.image.name.rsplit("/", 1)[-1], item.alt_text, item.caption)
        for item in gallery.items.select_related("image")
    ]


def counts():
    return {
        "embeds": Embed.objects.count(),
        "galleries": Gallery.objects.count(),
        "gallery items": GalleryItem.objects.count(),
        "library images": MediaImage.objects.count(),
        "articles": ImportedArticle.objects.count(),
    }


def export(tmp_path):
    path = tmp_path / "rich.xml"
    path.write_text(
        wxr(
            item(1, "بالفيديو: مؤتمر الوزير", content=f"قبل المقطع\n\n[embed]{YOUTUBE}[/embed]"),
            item(2, "تغريدة الوزارة", content=f"نص قبلها\n{TWEET}\nونص بعدها"),
            item(3, "فيلم قصير", content=embed_block(VIMEO, "الفيلم كاملا", "vimeo")),
            item(
                4,
                "تسجيلات",
                content=(
                    f'[video width="640" height="360" mp4="{FILES}clip.mp4"][/video]\n\n'
                    f'[audio mp3="{FILES}talk.mp3"][/audio]\n\n'
                    '[video src="https://youtu.be/bcdefghijkl"]\n\n'
                    '<!-- wp:video {"id":40} -->\n<figure class="wp-block-video"><video '
                    f'controls src="{FILES}block.mp4"></video><figcaption>من المؤتمر'
                    "</figcaption></figure>\n<!-- /wp:video -->"
                ),
            ),
            item(5, "بالصور: السوق القديم", content='مقدمة\n\n[gallery ids="22,21,23"]\n\nخاتمة'),
            item(
                6,
                "معرض من المحرر الكلاسيكي",
                content=gallery_block_classic(
                    [24, 25], captions=("", "بائع الورد"), caption="ربيع دمشق"
                ),
            ),
            item(
                7,
                "معرض من المحرر الجديد",
                content=gallery_block(
                    [
                        (26, "2017/04/26.jpg", "قلعة حلب من الجنوب", "القلعة"),
                        (27, "2017/04/27.jpg", "", "السوق المسقوف"),
                    ]
                ),
            ),
            item(
                8,
                "صورة بتعليق",
                content=(
                    '[caption id="attachment_28" align="alignright" width="300"]'
                    f'<img class="size-medium wp-image-28" src="{FILES}28.jpg" alt="ساحة المدينة" '
                    'width="300" height="200" /> الساحة صباحا[/caption]\n\nنص الخبر'
                ),
            ),
            item(9, "معرض المرفقات", content='صور اليوم\n\n[gallery columns="2"]'),
            # The attachments come after the posts that show them, as in WordPress's exports.
            attachment(21, "2017/04/21.jpg", alt="الباب الشرقي"),
            attachment(22, "2017/04/22.jpg", caption="سوق الحميدية ظهرا"),
            attachment(23, "2017/04/23.jpg", title="الجامع"),
            attachment(24, "2017/04/24.jpg", alt="زهور"),
            attachment(25, "2017/04/25.jpg", alt="بائع"),
            attachment(26, "2017/04/26.jpg"),
            attachment(27, "2017/04/27.jpg", alt="سقف السوق"),
            attachment(29, "2017/04/29.jpg", alt="الثانية", parent=9, order=2),
            attachment(30, "2017/04/30.jpg", alt="الأولى", parent=9, order=1),
            attachment(31, "2017/04/31.jpg", alt="لغيره", parent=5),
        ),
        encoding="utf-8",
    )
    return path


def test_every_kind_becomes_ours_and_a_second_run_makes_nothing(
    run_import, tmp_path, uploads, providers
):
    path = export(tmp_path)
    summary = run_import(path, uploads=str(uploads))
    assert "created: 9" in summary and "failed: 0" in summary
    assert "galleries: 4 made, 9 images put in, 0 problems" in summary
    assert providers.seen == []  # an import asks no provider

    # [embed], a URL alone on its line, an embed block: the element a pasted link makes,
    # and its embed, a card until resolve_embeds asks.
    assert f'<p><a href="{YOUTUBE}" rel="noopener noreferrer nofollow">{YOUTUBE}</a></p>' in (
        body_of(1)
    )
    assert f'<p><a href="{TWEET}"' in body_of(2)
    assert "<p>نص قبلها</p>" in body_of(2) and "<p>ونص بعدها</p>" in body_of(2)
    assert f'<p><a href="{VIMEO}"' in body_of(3) and "<p>الفيلم كاملا</p>" in body_of(3)
    pending = Embed.objects.filter(reason=Embed.Reason.PENDING)
    assert sorted(pending.values_list("url", "provider", "status")) == sorted(
        [
            (YOUTUBE, "YouTube", "card"),
            (TWEET, "X", "card"),
            (VIMEO, "Vimeo", "card"),
            ("https://youtu.be/bcdefghijkl", "YouTube", "card"),
        ]
    )

    # Video and audio: a provider's becomes an embed, a file a captioned link card.
    recordings = body_of(4)
    assert (
        f'<figure><p><a href="{FILES}clip.mp4" rel="noopener noreferrer nofollow">clip.mp4</a>'
        "</p><figcaption>فيديو</figcaption></figure>"
    ) in recordings
    assert f'<a href="{FILES}talk.mp3" rel="noopener noreferrer nofollow">talk.mp3</a>' in (
        recordings
    )
    assert "<figcaption>تسجيل صوتي</figcaption>" in recordings
    assert "<figcaption>فيديو: من المؤتمر</figcaption>" in recordings
    assert '<p><a href="https://youtu.be/bcdefghijkl"' in recordings
    assert "[video" not in recordings and "[/audio]" not in recordings

    # [gallery ids=…]: that order; alt text from the attachment, else its caption, its title.
    market = gallery_in(5)
    assert f"<p>[gallery {market.pk}]</p>" in body_of(5)
    assert market.title == "بالصور: السوق القديم"
    assert items_of(market) == [
        ("22.jpg", "سوق الحميدية ظهرا", "سوق الحميدية ظهرا"),
        ("21.jpg", "الباب الشرقي", ""),
        ("23.jpg", "الجامع", ""),
    ]
    # Both Gutenberg markups: the block's own captions and alt text win; its caption titles it.
    spring = gallery_in(6)
    assert spring.title == "ربيع دمشق"
    assert items_of(spring) == [("24.jpg", "زهور", ""), ("25.jpg", "بائع", "بائع الورد")]
    assert items_of(gallery_in(7)) == [
        ("26.jpg", "قلعة حلب من الجنوب", "القلعة"),
        ("27.jpg", "سقف السوق", "السوق المسقوف"),
    ]
    # A bare [gallery]: the images attached to the post, in their menu order.
    assert items_of(gallery_in(9)) == [("30.jpg", "الأولى", ""), ("29.jpg", "الثانية", "")]
    # One library image per file, whatever shows it.
    assert MediaImage.objects.filter(image__startswith="library/imported/2017/04/").count() == 10

    # [caption]: a captioned figure.
    assert "<figure><img" in body_of(8) and "<figcaption>الساحة صباحا</figcaption></figure>" in (
        body_of(8)
    )
    assert "[caption" not in body_of(8)

    before = counts()
    again = run_import(path, uploads=str(uploads))
    assert "created: 0" in again and "updated: 0" in again
    assert "galleries:" not in again and "embeds:" not in again
    assert counts() == before
    assert providers.seen == []


def test_galleries_wait_for_their_images_and_a_later_run_brings_them(
    run_import, tmp_path, uploads, providers
):
    path = export(tmp_path)
    summary = run_import(path)  # no --uploads: the galleries are made, their images wait
    assert "galleries: 4 made, 0 images put in" in summary
    assert "images of galleries waiting for --uploads (or --fetch-media): 9" in summary
    assert GalleryItem.objects.count() == 0
    shortcodes = {pk: gallery_in(pk).shortcode for pk in (5, 6, 7, 9)}

    later = run_import(path, uploads=str(uploads))
    assert "galleries: 0 made, 9 images put in, 0 problems" in later
    assert {pk: gallery_in(pk).shortcode for pk in (5, 6, 7, 9)} == shortcodes
    assert Gallery.objects.count() == 4 and GalleryItem.objects.count() == 9
    assert not ImportedGallery.objects.filter(complete=False).exists()

    before = counts()
    run_import(path, uploads=str(uploads))
    assert counts() == before


def test_a_missing_gallery_image_is_reported_and_the_rest_kept(run_import, tmp_path, uploads):
    path = tmp_path / "missing.xml"
    path.write_text(
        wxr(
            item(1, "معرض ناقص", content='[gallery ids="21,99,22"]'),
            attachment(21, "2017/04/21.jpg", alt="أولى"),
            attachment(22, "2017/04/gone.jpg", alt="مفقودة"),
        ),
        encoding="utf-8",
    )
    summary = run_import(path, uploads=str(uploads))
    assert "galleries: 1 made, 1 images put in, 2 problems" in summary
    assert "gallery image 99 is not in the export" in summary
    assert "gallery image not found: 2017/04/gone.jpg" in summary
    gallery = gallery_in(1)
    assert [item.position for item in gallery.items.all()] == [0]
    assert not ImportedGallery.objects.get().complete  # tried again by the next run


def test_imported_embeds_are_resolved_later_from_the_providers(
    run_import, tmp_path, providers, client
):
    path = tmp_path / "embeds.xml"
    path.write_text(
        wxr(
            item(1, "مقطع", content=f"[embed]{YOUTUBE}[/embed]"),
            item(2, "قناة", content="https://t.me/masa_news/1234"),
        ),
        encoding="utf-8",
    )
    run_import(path)
    assert providers.seen == []
    youtube = Embed.objects.get(url=YOUTUBE)
    assert youtube.pending and youtube.status == Embed.Status.CARD and youtube.title == YOUTUBE
    # Telegram has no oEmbed: its card comes from the address, nobody is asked.
    telegram = Embed.objects.get(url="https://t.me/masa_news/1234")
    assert telegram.status == Embed.Status.OK and not telegram.pending

    article = ImportedArticle.objects.get(source_id="1").article
    page = client.get(article.get_absolute_url())
    assert 'class="embed embed-video embed-card' in page.content.decode()  # a card meanwhile

    call_command("resolve_embeds", stdout=io.StringIO())
    youtube.refresh_from_db()
    assert youtube.status == Embed.Status.OK and youtube.title == "مؤتمر صحفي لوزير الصحة"
    assert [path for path, _query in providers.seen].count("/youtube") == 1
    page = client.get(article.get_absolute_url())
    assert "data-player=" in page.content.decode()

    run_import(path)  # the same export again: the resolved embed is kept as it is
    youtube.refresh_from_db()
    assert youtube.status == Embed.Status.OK and Embed.objects.count() == 2


def test_a_gallery_is_shown_on_the_article_page(run_import, tmp_path, uploads, client):
    path = tmp_path / "page.xml"
    path.write_text(
        wxr(
            item(1, "بالصور", content='[gallery ids="21,22"]'),
            attachment(21, "2017/04/21.jpg", alt="الباب الشرقي"),
            attachment(22, "2017/04/22.jpg", alt="السوق"),
        ),
        encoding="utf-8",
    )
    run_import(path, uploads=str(uploads))
    page = client.get(ImportedArticle.objects.get().article.get_absolute_url()).content.decode()
    assert 'class="gallery"' in page and "ImageGallery" in page
    assert 'alt="الباب الشرقي"' in page and 'alt="السوق"' in page
    assert "[gallery" not in page


def test_a_dry_run_makes_no_embed_and_no_gallery(run_import, tmp_path, uploads):
    summary = run_import(export(tmp_path), uploads=str(uploads), dry_run=True)
    assert "created: 9" in summary
    assert counts() == dict.fromkeys(counts(), 0)


def test_nested_cdata_sections_are_read_whole(tmp_path, run_import):
    """WordPress writes "]]>" inside a CDATA section as "]]]]><![CDATA[>" (wxr_cdata): the
    text comes back whole, in the body, the title and the excerpt, and the next item too."""
    path = tmp_path / "cdata.xml"
    content = (
        "شرح: تنتهي الكتلة بـ ]]> ثم تبدأ <![CDATA[ أخرى\n\n"
        "<pre>if (a[b[0]]>1) {}</pre>\n\nوآخرها ]]"
    )
    text = wxr(
        item(1, "عنوان", content=content, excerpt="ملخص ]]> فيه"),
        item(2, "الخبر التالي"),
    )
    text = text.replace(
        "<title>عنوان</title>", "<title><![CDATA[عنوان ]]]]><![CDATA[> غريب]]></title>"
    )
    path.write_text(text, encoding="utf-8")
    summary = run_import(path)
    assert "created: 2" in summary and "failed: 0" in summary
    article = ImportedArticle.objects.get(source_id="1").article
    assert article.title_ar == "عنوان ]]> غريب"
    read = next(iter(WXRReader(path)))
    assert "تنتهي الكتلة بـ ]]> ثم تبدأ <![CDATA[ أخرى" in read.body_html
    assert "<pre>if (a[b[0]]>1) {}</pre>" in read.body_html
    assert "تنتهي الكتلة بـ ]]&gt; ثم تبدأ" in article.body_ar
    assert "a[b[0]]&gt;1" in article.body_ar and "وآخرها ]]" in article.body_ar
    assert article.lead_ar == "ملخص ]]> فيه"
    assert ImportedArticle.objects.filter(source_id="2").exists()


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_export_without_its_wxr_version_is_refused_in_arabic(tmp_path, version):
    path = tmp_path / "old.xml"
    path.write_text(wxr(item(1, "خبر"), version=version), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_archive", str(path), stdout=out, stderr=io.StringIO())
    assert "wp:wxr_version" in str(refused.value)
    assert "المستورد" in str(refused.value)  # said in Arabic: WordPress's importer refuses it
    assert "فشل: 1" in out.getvalue()  # never "0 items" in silence
    assert not ImportedArticle.objects.exists()
    with translation.override("en"), pytest.raises(CommandError, match="refuses such a file"):
        call_command("import_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_autop_reads_the_rarer_forms():
    galleries = []
    html = autop(
        '[caption id="" align="alignnone" width="300" caption="قديم &amp; جميل"]'
        '<img src="https://x.example/a.jpg" alt="">[/caption]\n\n'
        '<!-- wp:embed {"url":"https://youtu.be/abcdefghijk","type":"video"} /-->\n\n'
        '[gallery include="5, 4"]\n\n'
        "[audio]https://x.example/a.ogg[/audio]\n\n"
        '[video src="javascript:alert(1)"][/video]',
        galleries=galleries,
    )
    assert html.split("\n") == [
        '<figure><img src="https://x.example/a.jpg" alt=""><figcaption>قديم &amp; جميل'
        "</figcaption></figure>",
        '<p><a href="https://youtu.be/abcdefghijk">https://youtu.be/abcdefghijk</a></p>',
        "<p>[archive-gallery 0]</p>",
        '<figure><p><a href="https://x.example/a.ogg">a.ogg</a></p>'
        "<figcaption>تسجيل صوتي</figcaption></figure>",
    ]
    assert galleries == [{"images": [{"id": "5"}, {"id": "4"}], "caption": ""}]
    assert "[archive-gallery" not in autop('[gallery ids="1"]')  # a page: left out


def test_a_desk_save_asks_about_an_imported_embed(django_capture_on_commit_callbacks, providers):
    embed, created = register(YOUTUBE)
    assert created and embed.pending and providers.seen == []
    article = make_article("مقطع", body_ar=f'<p><a href="{YOUTUBE}">{YOUTUBE}</a></p>')
    with resolving_links(), django_capture_on_commit_callbacks(execute=True):
        article.save()
    embed.refresh_from_db()
    assert embed.status == Embed.Status.OK and not embed.pending
    assert register(YOUTUBE) == (embed, False)
