"""The live panel on the article's admin page: start, post (in one request, with or without
JavaScript), bad input refused in Arabic with nothing lost, remove and restore, end."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from live import services
from live.models import LiveCoverage, LiveEntry
from tests.articles.desk_helpers import make_staff
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def editor(client):
    client.force_login(make_staff("المحررون", username="editor"))
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_url(article):
    return reverse("admin:live_post", args=[article.pk])


class TestPanel:
    def test_start_post_and_end_from_the_article_page(self, editor):
        article = make_article("مباشر: الانتخابات البلدية")
        page = editor.get(change_url(article)).content.decode()
        assert 'id="live-desk"' in page and "بدء التغطية المباشرة" in page
        response = editor.post(reverse("admin:live_start", args=[article.pk]))
        assert response.status_code == 302 and response["Location"].endswith("#live-desk")
        coverage = LiveCoverage.objects.get(article=article)
        assert coverage.is_live and coverage.started_by.username == "editor"

        response = editor.post(post_url(article), {"body": "فتحت مراكز الاقتراع أبوابها."})
        assert response.status_code == 302
        entry = coverage.entries.get()
        assert entry.body == "<p>فتحت مراكز الاقتراع أبوابها.</p>"
        assert entry.posted_by.username == "editor"
        page = editor.get(change_url(article)).content.decode()
        assert "فتحت مراكز الاقتراع" in page and "نُشر التحديث." in page
        assert "إنهاء التغطية المباشرة" in page

        editor.post(reverse("admin:live_end", args=[article.pk]))
        coverage.refresh_from_db()
        assert coverage.state == "ended"
        assert "انتهت التغطية المباشرة" in editor.get(change_url(article)).content.decode()

    def test_an_action_address_opened_by_hand_leads_to_the_live_desk(self, editor):
        """A GET (a bookmark, signing in again) changes nothing and was a blank 405."""
        article = make_article("مباشر: العاصفة")
        coverage = services.start_coverage(article=article)
        entry = services.post_entry(coverage=coverage, body="تحديث")
        for name, arg in (("live_start", article.pk), ("live_end", article.pk),
                          ("live_post", article.pk), ("live_remove", entry.pk),
                          ("live_restore", entry.pk)):  # fmt: skip
            response = editor.get(reverse(f"admin:{name}", args=[arg]))
            assert response.status_code == 302, name
            assert response["Location"].endswith("#live-desk"), name
        coverage.refresh_from_db()
        assert coverage.is_live
        assert LiveEntry.objects.filter(pk=entry.pk, removed_at__isnull=True).exists()

    def test_posting_in_the_background_answers_the_row(self, editor):
        article = make_article()
        services.start_coverage(article=article)
        response = editor.post(
            post_url(article),
            {"body": "وصول <b>الوفد</b> <script>alert(1)</script>", "is_breaking": "on"},
            **FETCH,
        )
        data = response.json()
        assert response.status_code == 200 and data["ok"] and data["message"] == "نُشر."
        entry = LiveEntry.objects.get(pk=data["id"])
        assert entry.is_breaking and "<b>الوفد</b>" in entry.body and "script" not in entry.body
        assert f'id="desk-entry-{entry.pk}"' in data["html"] and "عاجل" in data["html"]

    def test_newest_entries_first_on_the_panel(self, editor):
        article = make_article()
        coverage = services.start_coverage(article=article)
        for n in (1, 2, 3):
            services.post_entry(coverage=coverage, body=f"مدخل الاختبار {n}")
        page = editor.get(change_url(article)).content.decode()
        positions = [page.index(f"مدخل الاختبار {n}") for n in (3, 2, 1)]
        assert positions == sorted(positions)

    def test_several_editors_post_at_once(self, client):
        article = make_article()
        services.start_coverage(article=article)
        for name in ("one", "two", "three"):
            client.force_login(make_staff("المحررون", username=name))
            assert client.post(post_url(article), {"body": f"من {name}"}, **FETCH).json()["ok"]
        assert LiveEntry.objects.filter(coverage__article=article).count() == 3

    def test_remove_keeps_the_entry_and_restore_brings_it_back(self, editor):
        article = make_article()
        entry = services.post_entry(
            coverage=services.start_coverage(article=article), body="خبر للحذف"
        )
        editor.post(reverse("admin:live_remove", args=[entry.pk]))
        entry.refresh_from_db()
        assert entry.removed_at is not None
        page = editor.get(change_url(article)).content.decode()
        assert "خبر للحذف" in page and "محذوف" in page and "استعادة" in page
        editor.post(reverse("admin:live_restore", args=[entry.pk]))
        entry.refresh_from_db()
        assert entry.removed_at is None

    def test_editing_an_entry_in_its_admin_page_marks_it_edited(self, editor):
        article = make_article()
        entry = services.post_entry(coverage=services.start_coverage(article=article), body="أ")
        url = reverse("admin:live_liveentry_change", args=[entry.pk])
        assert editor.get(url).status_code == 200
        response = editor.post(url, {"body": "نص معدّل", "image_alt": "", "image_credit": ""})
        assert response.status_code == 302, response.content.decode()[:3000]
        entry.refresh_from_db()
        assert entry.body == "<p>نص معدّل</p>" and entry.edited_at is not None
        response = editor.post(url, {"body": " "})
        assert "اكتب نص التحديث." in response.content.decode()
        entry.refresh_from_db()
        assert entry.body == "<p>نص معدّل</p>"

    def test_a_writer_may_not_start_a_coverage(self, client):
        client.force_login(make_staff("كتّاب الأخبار", username="writer"))
        article = make_article()
        assert client.post(reverse("admin:live_start", args=[article.pk])).status_code == 403
        assert not LiveCoverage.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client):
        article = make_article()
        services.start_coverage(article=article)
        response = client.post(post_url(article), {"body": "نص"})
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert not LiveEntry.objects.exists()


class TestBadInput:
    """Refused with a clear Arabic message, never a 500, and nothing typed is lost."""

    @pytest.fixture
    def coverage(self):
        return services.start_coverage(article=make_article())

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("", "اكتب نص التحديث."),
            ("   \u200f ", "اكتب نص التحديث."),
            ("<script>alert('x')</script>", "لم يبقَ نص يُقرأ بعد إزالة الشيفرة غير المسموح بها"),
            ("ب" * 6000, "التحديث طويل جدًا (6000 حرفًا). الحد الأقصى 5000."),
        ],
    )
    def test_bad_text_without_javascript(self, editor, coverage, body, message):
        response = editor.post(post_url(coverage.article), {"body": body, "image_credit": "وكالة"})
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html and "لم يُنشر التحديث" in html
        assert 'value="وكالة"' in html  # what was typed is kept
        if body.strip():
            assert body[:50] in html or "&lt;script&gt;" in html
        assert not LiveEntry.objects.exists()

    def test_bad_text_with_javascript(self, editor, coverage):
        response = editor.post(post_url(coverage.article), {"body": ""}, **FETCH)
        assert response.status_code == 400
        assert response.json() == {"ok": False, "errors": {"body": ["اكتب نص التحديث."]}}

    def test_a_fake_image(self, editor, coverage):
        fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
        response = editor.post(
            post_url(coverage.article), {"body": "صورة من الموقع", "image": fake}, **FETCH
        )
        assert response.status_code == 400
        assert response.json()["errors"]["image"] == [
            "الملف ليس صورة صالحة. ارفع ملفاً بصيغة JPEG أو PNG أو WebP أو GIF."
        ]
        assert not LiveEntry.objects.exists()

    def test_a_real_image_is_stored_with_renditions(self, editor, coverage):
        response = editor.post(
            post_url(coverage.article),
            {"body": "صورة من الموقع", "image": image_upload(), "image_credit": "سانا",
             "image_alt": "موقع الحادث"},
            **FETCH,
        )  # fmt: skip
        assert response.json()["ok"]
        entry = LiveEntry.objects.get()
        assert entry.image and entry.image_renditions and entry.image_credit == "سانا"

    def test_an_image_without_alt_text_is_refused(self, editor, coverage):
        response = editor.post(
            post_url(coverage.article), {"body": "صورة", "image": image_upload()}, **FETCH
        )
        assert response.status_code == 400
        assert response.json()["errors"]["image_alt"] == ["صِف الصورة لمن لا يراها."]
        assert not LiveEntry.objects.exists()

    @pytest.mark.parametrize("href", ["javascript:alert(1)", "java&#x09;script:alert(1)"])
    def test_a_link_the_sanitiser_would_empty_is_refused(self, editor, coverage, href):
        """Published as plain «رابط هنا» without a word, where an article refuses it."""
        body = f'رابط <a href="{href}">هنا</a>'
        response = editor.post(post_url(coverage.article), {"body": body}, **FETCH)
        assert response.status_code == 400
        assert "غير مسموح" in response.json()["errors"]["body"][0]
        assert not LiveEntry.objects.exists()

    @pytest.mark.parametrize(
        "src", ["https://tracker.example.com/p.png", "//tracker.example.com/p.png", "data:,x"]
    )
    def test_an_image_from_another_site_is_refused(self, editor, coverage, src, settings):
        """Stored, it showed broken (the pages' policy blocks it) and the feed passed it on to
        feed readers, telling that site who reads."""
        body = f'<p>صورة</p><img src="{src}" alt="تتبع">'
        response = editor.post(post_url(coverage.article), {"body": body}, **FETCH)
        assert response.status_code == 400
        assert "ليست من هذا الموقع" in response.json()["errors"]["body"][0]
        assert not LiveEntry.objects.exists()
        ours = f'<p>صورة</p><img src="{settings.MEDIA_URL}live/a.jpg" alt="من المكتبة">'
        assert editor.post(post_url(coverage.article), {"body": ours}, **FETCH).status_code == 200

    def test_an_entrys_title_in_the_desk_reads_its_characters(self, editor, coverage):
        editor.post(post_url(coverage.article), {"body": "<p><b>عريض</b> &amp; رمز</p>"}, **FETCH)
        assert str(LiveEntry.objects.get()) == "عريض & رمز"

    def test_an_entry_on_an_article_that_is_not_live(self, editor):
        article = make_article()
        response = editor.post(post_url(article), {"body": "نص"}, **FETCH)
        assert response.status_code == 400
        assert response.json()["errors"]["__all__"] == [
            "هذا المقال ليس تغطية مباشرة: ابدأ التغطية المباشرة أولًا."
        ]
        services.end_coverage(coverage=services.start_coverage(article=article))
        response = editor.post(post_url(article), {"body": "نص"})
        assert response.status_code == 400
        assert "انتهت هذه التغطية" in response.content.decode()
        assert not LiveEntry.objects.exists()

    def test_an_image_too_large(self, editor, coverage, settings):
        settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
        upload = image_upload(size=(400, 400))
        response = editor.post(post_url(coverage.article), {"body": "نص", "image": upload}, **FETCH)
        assert response.status_code == 400
        assert "الصورة كبيرة جد" in response.json()["errors"]["image"][0]


def test_the_entries_list_searches_in_any_spelling(admin_client):
    """It had no search: ?q= listed every entry."""
    from django.urls import reverse

    from live.models import LiveEntry

    coverage = services.start_coverage(article=make_article())
    for body in ("<p>أخبار الطقس في دمشق</p>", "<p>نتيجة المباراة</p>"):
        LiveEntry.objects.create(coverage=coverage, body=body)
    page = admin_client.get(reverse("admin:live_liveentry_changelist"), {"q": "اخبار"})
    html = page.content.decode()
    assert "أخبار الطقس في دمشق" in html and "نتيجة المباراة" not in html
