"""The editorial desk: roles, workflow, scheduling, embargo, revisions, corrections, the list."""

import re
from datetime import timedelta
from html import escape as html_escape

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, MediaImage, StatusChange
from tests.articles.desk_helpers import (
    ROLES,
    article_admin_url,
    form_data,
    make_staff,
    post_article,
)
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def form_errors(response):
    """The admin form's and formsets' errors, to show when a save unexpectedly failed."""
    if response.context is None or "adminform" not in response.context:
        return response.status_code
    return response.context["adminform"].form.errors, [
        formset.formset.errors for formset in response.context["inline_admin_formsets"]
    ]


def local_parts(moment):
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


@pytest.fixture
def writer(client):
    return make_staff("كتّاب الأخبار")


@pytest.fixture
def editor():
    return make_staff("المحررون")


@pytest.fixture
def section():
    return make_section("سياسة")


def new_article_data(section, **changes):
    author = make_author()
    data = {
        "title_ar": "خبر جديد من المكتب",
        "lead_ar": "ملخص",
        "body_ar": "<p>نص</p>",
        "section": str(section.pk),
        "bylines-0-author": str(author.pk),
        "bylines-0-position": "0",
    }
    data.update(changes)
    return data


class TestRolesExist:
    def test_groups_made_by_the_data_migration(self):
        assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(
            ROLES
        )
        editors = Group.objects.get(name="المحررون")
        writers = Group.objects.get(name="كتّاب الأخبار")
        assert editors.permissions.filter(codename="publish_article").exists()
        assert not writers.permissions.filter(codename="publish_article").exists()


class TestWriter:
    def test_writer_creates_a_draft_and_submits_it_for_review(self, client, writer, section):
        client.force_login(writer)
        response = post_article(client, new_article_data(section))
        assert response.status_code == 302, form_errors(response)
        article = Article.objects.get(title_ar="خبر جديد من المكتب")
        assert article.status == Article.Status.DRAFT
        assert article.created_by == writer
        response = post_article(client, {"status": "review"}, article)
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW
        change = StatusChange.objects.filter(article=article).first()
        assert (change.from_status, change.to_status, change.changed_by) == (
            "draft",
            "review",
            writer,
        )

    def test_status_choices_offered_to_a_writer(self, client, writer):
        client.force_login(writer)
        html = client.get(article_admin_url("add")).content.decode()
        options = re.findall(r'<option value="(\w+)"', html.split('name="status"')[1][:800])
        assert options == ["draft", "review"]

    @pytest.mark.parametrize("status", ["published", "scheduled", "unpublished"])
    def test_forged_post_to_publish_is_403_and_nothing_changes(
        self, client, writer, section, status
    ):
        client.force_login(writer)
        article = make_article(published=False, section=section, created_by=writer)
        page = client.get(article_admin_url("change", article.pk))
        data = form_data(page.content.decode())
        future = timezone.now() + timedelta(days=1)
        date, time = local_parts(future)
        data.update(status=status, published_at_0=date, published_at_1=time)
        response = client.post(article_admin_url("change", article.pk), data)
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert not Article.objects.published().filter(pk=article.pk).exists()

    def test_forged_new_article_published_is_403(self, client, writer, section):
        client.force_login(writer)
        response = post_article(client, new_article_data(section, status="published"))
        assert response.status_code == 403
        assert not Article.objects.filter(title_ar="خبر جديد من المكتب").exists()

    def test_forged_bulk_publish_does_nothing(self, client, writer, section):
        client.force_login(writer)
        article = make_article(published=False, section=section, created_by=writer)
        response = client.post(
            article_admin_url("changelist"),
            {"action": "publish_selected", "_selected_action": [article.pk]},
        )
        assert response.status_code in (200, 302)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_writer_cannot_edit_someone_elses_or_a_published_article(self, client, writer, section):
        client.force_login(writer)
        other = make_article(published=False, section=section)
        own_published = make_article(section=section, created_by=writer)
        for article in (other, own_published):
            title = article.title_ar
            response = client.post(
                article_admin_url("change", article.pk), {"title_ar": "عبث", "status": "draft"}
            )
            assert response.status_code == 403
            article.refresh_from_db()
            assert article.title_ar == title

    def test_a_writers_read_only_view_names_languages_in_words(self, client, writer, section):
        """A writer opening their published article read «العنوان [ar]:»."""
        client.force_login(writer)
        article = make_article(section=section, created_by=writer)
        page = client.get(article_admin_url("change", article.pk))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="title_ar"' not in html  # read-only for a writer once published
        assert "العنوان (العربية)" in html and "[ar]" not in html and "[en]" not in html

    def test_writer_cannot_delete_or_see_history_or_flag(self, client, writer, section):
        client.force_login(writer)
        article = make_article(published=False, section=section, created_by=writer)
        assert client.get(article_admin_url("delete", article.pk)).status_code == 403
        html = client.get(article_admin_url("change", article.pk)).content.decode()
        for field in ("is_breaking", "is_featured", "pin_order", "embargo_until_0"):
            assert f'name="{field}"' not in html
        actions = client.get(article_admin_url("changelist")).context["action_form"]
        choices = [value for value, _label in actions.fields["action"].choices]
        assert "publish_selected" not in choices
        assert "unpublish_selected" not in choices


class TestEditor:
    def test_editor_publishes(self, client, editor, section):
        client.force_login(editor)
        article = make_article(published=False, section=section)
        response = post_article(client, {"status": "published"}, article)
        assert response.status_code == 302, form_errors(response)
        article.refresh_from_db()
        assert article.is_published()
        assert client.get(article.get_absolute_url()).status_code == 200
        assert StatusChange.objects.filter(
            article=article, to_status="published", changed_by=editor
        ).exists()

    def test_editor_schedules_and_it_appears_when_its_time_comes(self, client, editor, section):
        client.force_login(editor)
        article = make_article(published=False, section=section)
        when = timezone.now() + timedelta(hours=3)
        date, time = local_parts(when)
        response = post_article(
            client,
            {"status": "scheduled", "published_at_0": date, "published_at_1": time},
            article,
        )
        assert response.status_code == 302, form_errors(response)
        article.refresh_from_db()
        assert article.status == Article.Status.SCHEDULED
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in client.get(reverse("articles:home")).content.decode()
        assert not Article.objects.published().filter(pk=article.pk).exists()
        with time_machine.travel(when + timedelta(minutes=1)):
            assert Article.objects.published().filter(pk=article.pk).exists()
            assert client.get(article.get_absolute_url()).status_code == 200
            assert article.title in client.get(reverse("articles:home")).content.decode()
            assert article.title in client.get(section.get_absolute_url()).content.decode()

    def test_scheduling_in_the_past_is_an_arabic_error_on_the_field(self, client, editor, section):
        client.force_login(editor)
        article = make_article(published=False, section=section, lead_ar="ملخص محفوظ")
        date, time = local_parts(timezone.now() - timedelta(hours=1))
        response = post_article(
            client,
            {"status": "scheduled", "published_at_0": date, "published_at_1": time},
            article,
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "وقت نشر في المستقبل" in str(errors["published_at"])
        assert "ملخص محفوظ" in response.content.decode()  # the rest of the form is kept

    def test_editor_unpublishes_in_bulk(self, client, editor, section):
        client.force_login(editor)
        articles = [make_article(section=section) for _ in range(3)]
        response = client.post(
            article_admin_url("changelist"),
            {"action": "unpublish_selected", "_selected_action": [a.pk for a in articles]},
        )
        assert response.status_code == 302
        assert not Article.objects.published().filter(pk__in=[a.pk for a in articles]).exists()
        assert StatusChange.objects.filter(to_status="unpublished").count() == 3
        # The message names the status they have now («نُقل» read as moved to a section).
        message = client.get(response["Location"]).content.decode()
        label = Article.Status.UNPUBLISHED.label
        assert f"3 مقالات حالتها الآن «{label}»" in message, message[:3000]

    def test_bulk_publish_and_move_to_section(self, client, editor, section):
        client.force_login(editor)
        drafts = [make_article(published=False) for _ in range(2)]
        ids = [a.pk for a in drafts]
        client.post(
            article_admin_url("changelist"), {"action": "publish_selected", "_selected_action": ids}
        )
        assert Article.objects.published().filter(pk__in=ids).count() == 2
        client.post(
            article_admin_url("changelist"),
            {"action": "move_to_section", "_selected_action": ids, "section": section.pk},
        )
        assert set(Article.objects.filter(pk__in=ids).values_list("section", flat=True)) == {
            section.pk
        }
        assert all(a.history.first().section_id == section.pk for a in drafts)

    def test_published_cannot_go_back_to_draft_directly(self, client, editor, section):
        client.force_login(editor)
        article = make_article(section=section)
        response = post_article(client, {"status": "draft"}, article)
        assert response.status_code == 200
        assert "لا يمكن" in str(response.context["adminform"].form.errors["status"])


class TestEmbargo:
    def test_nobody_publishes_before_the_embargo(self, client, editor, section):
        client.force_login(editor)
        embargo = timezone.now() + timedelta(hours=2)
        article = make_article(published=False, section=section, embargo_until=embargo)
        response = post_article(client, {"status": "published"}, article)
        assert response.status_code == 200
        assert "حظر" in str(response.context["adminform"].form.errors["status"])
        client.post(
            article_admin_url("changelist"),
            {"action": "publish_selected", "_selected_action": [article.pk]},
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        with time_machine.travel(embargo + timedelta(minutes=1)):
            response = post_article(client, {"status": "published"}, article)
            assert response.status_code == 302
            article.refresh_from_db()
            assert article.is_published()

    def test_scheduling_after_the_embargo_is_allowed(self, section):
        embargo = timezone.now() + timedelta(hours=2)
        article = make_article(published=False, section=section, embargo_until=embargo)
        article.status = Article.Status.SCHEDULED
        article.published_at = embargo + timedelta(minutes=5)
        article.full_clean()
        article.save()

    def test_the_database_refuses_a_live_article_before_its_embargo(self, section):
        article = make_article(section=section)
        with pytest.raises(IntegrityError):
            Article.objects.filter(pk=article.pk).update(
                embargo_until=article.published_at + timedelta(hours=1)
            )


class TestCommentModerator:
    def test_moderator_sees_comments_not_articles(self, client):
        moderator = make_staff("مشرفو التعليقات")
        client.force_login(moderator)
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(article_admin_url("changelist")).status_code == 403
        assert client.get(article_admin_url("add")).status_code == 403
        comments = reverse("admin:comments_readercomment_changelist")
        assert client.get(comments).status_code == 200


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"title_ar": ""}, "title_ar", "هذا الحقل مطلوب"),
            ({"title_ar": "ع" * 251}, "title_ar", "250"),
            ({"slug": "خبر-موجود"}, "slug", "مستعمل في مقال آخر"),
            ({"lead_en": "b" * 3001}, "lead_en", "3000"),  # a lead is a sentence or two
        ],
    )
    def test_arabic_error_on_the_field_and_the_rest_kept(
        self, client, editor, section, changes, field, message
    ):
        make_article("خبر موجود", section=section)
        client.force_login(editor)
        response = post_article(client, new_article_data(section, lead_ar="ملخص باق", **changes))
        assert response.status_code == 200
        assert message in str(response.context["adminform"].form.errors[field])
        assert "ملخص باق" in response.content.decode()

    def test_an_upload_that_is_not_an_image(self, client, editor, section):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(editor)
        page = client.get(article_admin_url("add"))
        data = form_data(page.content.decode())
        data.update(new_article_data(section, lead_ar="ملخص باق"))
        data["image"] = SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg")
        response = client.post(article_admin_url("add"), data)
        assert response.status_code == 200
        assert "ليس" in str(response.context["adminform"].form.errors["image"])
        assert "ملخص باق" in response.content.decode()


class TestRevisions:
    def test_a_version_records_topics_and_bylines_and_compare_shows_them(
        self, client, editor, section
    ):
        from articles.models import Topic

        client.force_login(editor)
        author = make_author("سلمى الحسن")
        article = make_article("خبر بموضوع", section=section, authors=[author], published=False)
        first = article.history.latest()
        assert first.relations["topics"] == []  # the factory adds bylines after this version
        topic = Topic.for_name("المياه")
        post_article(client, {"topics": [str(topic.pk)]}, article)
        latest = article.history.order_by("-history_date").first()
        assert latest.relations == {"topics": ["المياه"], "bylines": ["سلمى الحسن"]}
        compare = client.get(
            reverse("admin:articles_article_compare", args=[article.pk]),
            {"a": first.history_id, "b": latest.history_id},
        )
        content = compare.content.decode()
        assert "المواضيع" in content and "+ المياه" in content

    def test_every_save_keeps_a_version_and_an_editor_restores_one(self, client, editor, section):
        client.force_login(editor)
        article = make_article("العنوان الأول", section=section, published=False)
        post_article(client, {"title_ar": "العنوان الثاني"}, article)
        post_article(client, {"title_ar": "العنوان الثالث"}, article)
        versions = list(article.history.order_by("history_date"))
        titles = ["العنوان الأول", "العنوان الثاني", "العنوان الثالث"]
        assert [v.title_ar for v in versions] == titles
        assert versions[-1].history_user == editor

        history = client.get(article_admin_url("history", article.pk))
        assert history.status_code == 200
        compare = client.get(
            reverse("admin:articles_article_compare", args=[article.pk]),
            {"a": versions[0].history_id, "b": versions[2].history_id},
        )
        content = compare.content.decode()
        assert compare.status_code == 200
        assert "العنوان الأول" in content and "العنوان الثالث" in content

        restore_url = reverse(
            "admin:articles_article_simple_history", args=[article.pk, versions[0].history_id]
        )
        restore_page = client.get(restore_url)
        assert restore_page.status_code == 200
        data = form_data(restore_page.content.decode(), "historicalarticle_form")
        assert "title_ar" in data, restore_page.content.decode()[-3000:]
        assert data["title_ar"] == "العنوان الأول"
        assert client.post(restore_url, data).status_code == 302
        article.refresh_from_db()
        assert article.title_ar == "العنوان الأول"
        assert article.history.count() == 4

    def test_restoring_a_published_version_keeps_a_withdrawn_article_offline(
        self, client, editor, section
    ):
        """Restoring a version saved while the article was public put a withdrawn article
        back online, with only «تم تعديل … بنجاح» to say so."""
        client.force_login(editor)
        article = make_article("عنوان منشور", section=section)
        post_article(client, {"title_ar": "عنوان معدّل"}, article)
        post_article(client, {"status": Article.Status.UNPUBLISHED}, article)
        article.refresh_from_db()
        assert article.status == Article.Status.UNPUBLISHED
        published_at = article.published_at
        public = article.history.filter(status=Article.Status.PUBLISHED)
        version = public.order_by("history_date").first()
        restore_url = reverse(
            "admin:articles_article_simple_history", args=[article.pk, version.history_id]
        )
        page = client.get(restore_url).content.decode()
        assert "ويبقى المقال على حاله: «مسحوب من النشر»" in page, page[:3000]
        crumbs = page.split('class="breadcrumbs"')[1].split("</div>")[0]
        assert "Historical" not in crumbs and "Articles" not in crumbs, crumbs
        data = form_data(page, "historicalarticle_form")
        assert data["title_ar"] == "عنوان منشور" and data["status"] == Article.Status.UNPUBLISHED
        assert client.post(restore_url, data).status_code == 302
        article.refresh_from_db()
        assert article.title_ar == "عنوان منشور"  # the text came back
        assert article.status == Article.Status.UNPUBLISHED  # the article stayed offline
        assert article.published_at == published_at
        client.logout()  # a reader: the desk's editors may preview it
        assert client.get(article.get_absolute_url()).status_code == 410

    def test_a_writer_cannot_see_the_history(self, client, writer, section):
        client.force_login(writer)
        article = make_article(section=section, published=False)
        url = reverse("admin:articles_article_compare", args=[article.pk])
        assert client.get(url, {"a": 1, "b": 2}).status_code == 403

    def test_compare_reads_as_the_desk_does(self, client, editor, section):
        """A status by its Arabic name, a time in the newsroom's zone, the body by its words;
        each change once (not again under modeltranslation's own column), no difflib marks,
        and no change for a time saved again without its microseconds."""
        client.force_login(editor)
        article = make_article(
            "خبر للمقارنة", section=section, published=False,
            body_ar="<p>الفقرة الأولى.</p><p>الفقرة الثانية.</p>",
        )  # fmt: skip
        first = article.history.latest()
        post_article(
            client,
            {"status": "review", "body_ar": "<p>الفقرة الأولى.</p><p>الفقرة الثانية معدلة.</p>"},
            article,
        )
        latest = article.history.order_by("-history_date").first()
        content = client.get(
            reverse("admin:articles_article_compare", args=[article.pk]),
            {"a": first.history_id, "b": latest.history_id},
        ).content.decode()
        assert str(Article.Status.REVIEW.label) in content and ">review<" not in content
        assert "- الفقرة الثانية." in content and "+ الفقرة الثانية معدلة." in content
        assert "&lt;p&gt;" not in content and "\n? " not in content
        rows = re.findall(r'<th scope="row">([^<]+)</th>', content)
        assert len(rows) == len(set(rows)), rows  # each field once
        assert not any("نشر" in row for row in rows), rows  # the time was not changed
        # The history page lists the same changes the same way.
        history = client.get(article_admin_url("history", article.pk)).content.decode()
        changes = history.split('id="change-history"')[1]
        assert f"&rarr;&nbsp;&nbsp;{Article.Status.REVIEW.label}" in changes
        assert "→&nbsp;&nbsp;review" not in changes and "None" not in changes
        assert changes.count("<strong>النص (العربية):</strong>") == 1
        assert "[ar]" not in changes and "[ar]" not in content
        assert "<strong>النص:</strong>" not in changes


class TestCorrections:
    def test_a_draft_is_corrected_in_its_own_text_not_by_a_correction(
        self, client, django_user_model, section
    ):
        """A correction saved on a draft without a word; a wrong number read «انتق خياراً
        صحيحاً» in a number box."""
        client.force_login(django_user_model.objects.create_superuser("chief", password="x"))
        draft = make_article("مسودة", section=section, published=False)
        url = reverse("admin:articles_correction_add")
        now = timezone.localtime()
        data = {
            "article": str(draft.pk), "kind": "correction", "text": "تصحيح لما لم يُقرأ",
            "created_at_0": now.strftime("%Y-%m-%d"), "created_at_1": now.strftime("%H:%M:%S"),
        }  # fmt: skip
        page = client.post(url, data).content.decode()
        assert "لم يُنشر هذا المقال بعد: صحّح نصه نفسه." in page
        assert "تصحيح لما لم يُقرأ" in page and not Correction.objects.exists()  # text kept
        page = client.post(url, {**data, "article": "999999"}).content.decode()
        assert "لا يوجد مقال بالرقم 999999." in page
        published = make_article("خبر منشور", section=section)
        assert client.post(url, {**data, "article": str(published.pk)}).status_code == 302
        assert Correction.objects.get().article == published
        # The draft's own form offers no corrections at all (as before).
        own = client.get(article_admin_url("change", draft.pk)).content.decode()
        assert 'name="corrections-TOTAL_FORMS"' not in own

    def test_editor_appends_a_dated_correction_shown_publicly(self, client, editor, section):
        client.force_login(editor)
        article = make_article("خبر مصحح", section=section)
        page = client.get(article_admin_url("change", article.pk))
        data = form_data(page.content.decode())
        data.update(
            {
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "صحّحنا اسم الوزير في الفقرة الثانية.",
            }
        )
        response = client.post(article_admin_url("change", article.pk), data)
        assert response.status_code == 302
        correction = Correction.objects.get(article=article)
        assert correction.created_by == editor
        assert correction.history.count() == 1
        client.logout()
        assert "صحّحنا اسم الوزير" in client.get(article.get_absolute_url()).content.decode()
        listing = client.get(reverse("articles:corrections"))
        assert listing.status_code == 200
        assert "صحّحنا اسم الوزير" in listing.content.decode()
        assert "خبر مصحح" in listing.content.decode()

    def test_corrections_page_runs_a_fixed_number_of_queries(
        self, client, section, django_assert_num_queries
    ):
        for n in range(5):
            Correction.objects.create(article=make_article(section=section), text=f"تصحيح {n}")
        # pagination count, the page of articles, sections menu, footer pages, breaking ticker
        with django_assert_num_queries(5):
            response = client.get(reverse("articles:corrections"))
        assert len(response.context["corrections"]) == 5

    def test_corrections_of_unpublished_articles_stay_private(self, client, section):
        article = make_article(section=section, published=False)
        Correction.objects.create(article=article, text="تصحيح سري")
        assert "تصحيح سري" not in client.get(reverse("articles:corrections")).content.decode()


class TestMediaLibrary:
    def test_article_reuses_a_library_image(self, client, section):
        image = MediaImage.objects.create(
            image=image_upload(size=(1200, 800)),
            alt_text_ar="ساحة المرجة",
            caption_ar="ساحة المرجة صباحاً",
            credit="سامر",
        )
        assert image.renditions and image.renditions[0]["width"] == 480
        first = make_article(section=section, library_image=image)
        second = make_article(section=section, library_image=image)
        for article in (first, second):
            assert article.image.name == image.image.name
            assert article.image_renditions == image.renditions
            assert (article.image_caption, article.image_credit, article.image_alt) == (
                "ساحة المرجة صباحاً",
                "سامر",
                "ساحة المرجة",
            )
        content = client.get(first.get_absolute_url()).content.decode()
        assert image.renditions[0]["webp"] in content
        assert "ساحة المرجة صباحاً" in content

    def test_picking_another_library_image_brings_its_texts(self, client, editor, section):
        """The old photo's alt text, caption and credit stayed on the new picture: a screen
        reader described a photo that was no longer there. What the editor types in the same
        save is kept."""
        stadium = MediaImage.objects.create(
            image=image_upload(), alt_text_ar="لاعبون يحتفلون", caption_ar="الملعب", credit="سامر"
        )
        square = MediaImage.objects.create(
            image=image_upload("square.jpg"), alt_text_ar="ساحة المرجة", credit="ريم"
        )
        article = make_article(section=section, library_image=stadium, published=False)
        assert (article.image_alt, article.image_credit) == ("لاعبون يحتفلون", "سامر")
        client.force_login(editor)
        response = post_article(client, {"library_image": str(square.pk)}, article)
        assert response.status_code == 302, form_errors(response)
        article.refresh_from_db()
        assert article.image.name == square.image.name
        assert (article.image_alt_ar, article.image_caption_ar, article.image_credit) == (
            "ساحة المرجة",
            "",  # the square has no caption: the stadium's is not left under it
            "ريم",
        )
        post_article(
            client,
            {"library_image": str(stadium.pk), "image_caption_ar": "الملعب بعد المباراة"},
            article,
        )
        article.refresh_from_db()
        assert (article.image_alt_ar, article.image_caption_ar, article.image_credit) == (
            "لاعبون يحتفلون",
            "الملعب بعد المباراة",  # typed with the pick: kept
            "سامر",
        )
        post_article(client, {"image_alt_ar": "لاعبو الوثبة يحتفلون"}, article)
        article.refresh_from_db()
        assert article.image_alt_ar == "لاعبو الوثبة يحتفلون"  # the same image: texts as typed

    def test_library_refuses_a_file_that_is_not_an_image(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        image = MediaImage(
            image=SimpleUploadedFile("x.png", b"junk", "image/png"), alt_text_ar="بديل"
        )
        with pytest.raises(ValidationError) as error:
            image.full_clean()
        assert "ليس صورة" in str(error.value)

    def test_library_admin_lists_thumbnails(self, client, editor):
        MediaImage.objects.create(image=image_upload(), alt_text_ar="صورة للمكتبة")
        client.force_login(editor)
        response = client.get(reverse("admin:articles_mediaimage_changelist"))
        assert response.status_code == 200
        assert 'class="desk-thumb"' in response.content.decode()
        assert '<code dir="ltr">/media/renditions/library/' in response.content.decode()


class TestArticleList:
    def test_search_ignores_hamza_taa_marbuta_tashkeel_and_tatweel(self, client, editor, section):
        wanted = make_article("إقالة مديرة المدرسة الأجنبيّة في حمـاة", section=section)
        make_article("خبر آخر لا علاقة له", section=section)
        client.force_login(editor)
        for query in ("اقاله مديره", "المدرسة الاجنبية", "حماة", "الأجنبيـة"):
            response = client.get(article_admin_url("changelist"), {"q": query})
            found = list(response.context["cl"].result_list)
            assert found == [wanted], query

    def test_bulk_imported_rows_without_normalised_title_are_still_found(
        self, client, editor, section
    ):
        Article.objects.bulk_create(
            [Article(title_ar="خبر مستورد قديم", slug="imported", section=section)]
        )
        client.force_login(editor)
        response = client.get(article_admin_url("changelist"), {"q": "مستورد"})
        assert [a.slug for a in response.context["cl"].result_list] == ["imported"]

    def test_columns_filters_and_rtl(self, client, editor, section):
        dated = make_article("خبر بصورة", section=section, image=image_upload())
        Article.objects.filter(pk=dated.pk).update(
            published_at=timezone.make_aware(timezone.datetime(2024, 1, 15, 10, 30))
        )
        make_article("خبر في قسم آخر", section=make_section("اقتصاد"))
        client.force_login(editor)
        response = client.get(article_admin_url("changelist"))
        content = response.content.decode()
        assert '<html lang="ar" dir="rtl"' in content
        for column in ("thumbnail", "title", "section", "authors_column", "status_column",
                       "publication_time", "total_views"):  # fmt: skip
            assert f"column-{column}" in content
        assert 'class="desk-thumb"' in content
        assert 'id="searchbar" dir="auto"' in content
        assert "15 كانون الثاني 2024" in content  # the site's Levantine months, not Django's
        filters = {str(spec.title) for spec in response.context["cl"].filter_specs}
        assert {"الحالة", "القسم", "الكاتب", "وقت النشر"} <= filters, filters

    def test_a_scheduled_article_whose_time_came_reads_published(self, client, editor, section):
        """Live on the site, in the feeds and the API, the list still said «مجدول»."""
        due = make_article("خبر حان وقته", section=section)
        waiting = make_article("خبر ينتظر", section=section, ago=-timedelta(hours=2))
        Article.objects.filter(pk__in=[due.pk, waiting.pk]).update(status=Article.Status.SCHEDULED)
        client.force_login(editor)
        content = client.get(article_admin_url("changelist")).content.decode()

        def status_of(article):
            row = content.split(f"/{article.pk}/change/")[1].split("</tr>")[0]
            return re.search(r'<td class="field-status_column">([^<]*)</td>', row)[1]

        assert (status_of(due), status_of(waiting)) == ("منشور", "مجدول")

    def test_changelist_with_ten_thousand_articles_runs_a_fixed_number_of_queries(
        self, client, editor, section
    ):
        client.force_login(editor)
        client.get(article_admin_url("changelist"))  # warm the session and content types
        make_article(section=section)
        with CaptureQueriesContext(connection) as small:
            assert client.get(article_admin_url("changelist")).status_code == 200
        now = timezone.now()
        rows = [
            Article(title=f"خبر {n}", title_ar=f"خبر {n}", title_search=f"خبر {n}",
                    slug=f"bulk-{n}", section=section, status="published",
                    published_at=now - timedelta(minutes=n))
            for n in range(10_000)
        ]  # fmt: skip
        Article.objects.bulk_create(rows, batch_size=2000)
        with CaptureQueriesContext(connection) as large:
            response = client.get(article_admin_url("changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 10_001
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
        assert len(large) == CHANGELIST_QUERIES, [q["sql"] for q in large.captured_queries]


# Measured, whatever the number of articles: session, user, user and group permissions (2),
# sections and authors for the filters (2), the count, the page of 50 articles with their
# sections, their bylines with authors, the date hierarchy's range and its days (2), and the
# sections of the "move to section" action.
CHANGELIST_QUERIES = 12


class TestAdminChrome:
    @pytest.mark.parametrize("language", ["ar", "en"])
    def test_every_text_input_and_textarea_has_a_direction(self, client, editor, language):
        from django.utils import translation

        client.force_login(editor)
        with translation.override(language):
            url = article_admin_url("add")
        html = client.get(url).content.decode()
        assert f'<html lang="{language}"' in html
        form = html.split('id="article_form"')[1].split("</form>")[0]
        fields = re.findall(r"<(?:input|textarea)\b[^>]*>", form)
        text_fields = [
            f for f in fields if f.startswith("<textarea") or re.search(r'type="(text|url)"', f)
        ]
        assert len(text_fields) >= 10
        missing = [f for f in text_fields if "dir=" not in f]
        assert not missing, missing

    def test_admin_is_titled_for_the_outlet(self, client, editor, settings):
        client.force_login(editor)
        content = client.get(reverse("admin:index")).content.decode()
        assert settings.SITE_NAME in content
        assert "مكتب التحرير" in content

    def test_staff_preview_scheduled_readers_404(self, client, editor, section):
        article = make_article(section=section, published=False)
        Article.objects.filter(pk=article.pk).update(
            status="scheduled", published_at=timezone.now() + timedelta(days=1)
        )
        assert client.get(article.get_absolute_url()).status_code == 404
        client.force_login(editor)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert response.context["is_preview"] is True


class TestHomeFlags:
    def test_lead_pinned_and_breaking(self, client, section):
        newest = make_article("الأحدث", section=section, ago=timedelta(minutes=5))
        lead = make_article("القصة الرئيسية", section=section, ago=timedelta(days=2),
                            is_featured=True)  # fmt: skip
        second = make_article("مثبت ثانياً", section=section, ago=timedelta(days=3), pin_order=2)
        first = make_article("مثبت أولاً", section=section, ago=timedelta(days=4), pin_order=1)
        breaking = make_article("عاجل جداً", section=section, ago=timedelta(hours=1),
                                is_breaking=True)  # fmt: skip
        hidden = make_article("عاجل لم ينشر", section=section, published=False, is_breaking=True)
        response = client.get(reverse("articles:home"))
        context = response.context
        assert context["lead"] == lead
        assert context["latest"][:3] == [first, second, newest]
        assert context["breaking"] == [breaking]
        content = response.content.decode()
        assert "عاجل جداً" in content.split('class="breaking"')[1].split("</section>")[0]
        assert hidden.title not in content

    def test_home_queries_stay_fixed_with_flags(self, client, section, settings):
        settings.NEWSROOM_PAGE_CACHE_ENABLED = False  # a full render every time: its queries
        settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
        make_article(section=section, is_featured=True)
        make_article(section=section, is_breaking=True, pin_order=1)
        client.get(reverse("articles:home"))  # warm the "most read" lists (cached for minutes)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("articles:home"))
        for n in range(6):
            make_article(section=make_section(), is_breaking=n % 2 == 0, pin_order=n + 2)
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("articles:home"))
        # 10 with the breaking-news ticker (desk/), rendered every time without fragments
        assert len(small) == len(large) == 10, [q["sql"] for q in large.captured_queries]


def test_a_writer_cannot_restore_a_version(client, section):
    writer = make_staff("كتّاب الأخبار")
    article = make_article("عنوان قديم", section=section, published=False, created_by=writer)
    article.title_ar = "عنوان جديد"
    article.save()
    old = article.history.order_by("history_date").first()
    client.force_login(writer)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, old.history_id])
    assert client.post(url, {"title_ar": "عنوان قديم", "status": "draft"}).status_code == 403
    history = reverse("admin:articles_article_history", args=[article.pk])
    assert client.get(history).status_code == 403
    article.refresh_from_db()
    assert article.title_ar == "عنوان جديد"


def test_older_installs_get_their_english_named_roles_renamed():
    """Migration 0010 (now in articles' first squashed migration): a group keeps its members
    and permissions under its Arabic name."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "articles.migrations.0001_initial_squashed_0010_arabic_role_names"
    )
    Group.objects.filter(name="المحررون").update(name="Editors")
    editors = Group.objects.get(name="Editors")
    permissions = set(editors.permissions.values_list("codename", flat=True))
    assert permissions, "the role has its permissions before the rename"
    migration.rename(apps, None)
    renamed = Group.objects.get(pk=editors.pk)
    assert renamed.name == "المحررون"
    assert set(renamed.permissions.values_list("codename", flat=True)) == permissions
    assert not Group.objects.filter(name__in=list(migration.RENAMES)).exists()


def test_an_author_twice_on_a_byline_is_named_in_arabic(client, editor, section):
    client.force_login(editor)
    data = new_article_data(section)
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": data["bylines-0-author"],
            "bylines-1-position": "1",
        }
    )
    response = post_article(client, data)
    page = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    formsets = response.context["inline_admin_formsets"]
    errors = " ".join(str(inline.formset.non_form_errors()) for inline in formsets)
    assert "الكاتب" in errors and "author" not in errors, errors
    assert data["title_ar"] in page  # what was typed is still there


@pytest.mark.parametrize(
    ("field", "typed", "named"),
    [
        ("title_ar", "عنوان <i>مائل</i>", "<i>"),
        ("title_ar", "الليرة &amp; الدولار", "&amp;"),
        ("lead_ar", "ملخص&nbsp;قصير", "&nbsp;"),
        ("seo_title_ar", "عنوان <b>للبحث</b>", "<b>"),
        ("meta_description_ar", "وصف &#8211; قصير", "&#8211;"),
    ],
)
def test_markup_in_a_plain_text_field_is_refused_in_arabic(
    client, editor, section, field, typed, named
):
    """A tag or an entity typed in a title, lead or meta field showed as typed in the page's
    title, meta tags, JSON-LD and feeds («عنوان &amp;amp; &lt;i&gt;…»)."""
    client.force_login(editor)
    response = post_article(client, new_article_data(section, **{field: typed}))
    page = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    assert "سيظهر للقرّاء كما كُتب" in page and html_escape(named) in page
    assert html_escape(typed) in page  # what was typed comes back to correct


def test_a_less_than_sign_in_a_title_is_no_tag(client, editor, section):
    client.force_login(editor)
    response = post_article(client, new_article_data(section, title_ar="أسعار < 100 ليرة & أكثر"))
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get().title_ar == "أسعار < 100 ليرة & أكثر"


@pytest.mark.parametrize("slug", ["ـــ", "---", "_ـ_"])
def test_a_slug_without_a_letter_or_digit_is_refused(client, editor, section, slug):
    client.force_login(editor)
    response = post_article(client, new_article_data(section, slug=slug))
    assert response.status_code == 200 and not Article.objects.exists()
    assert "يجب أن يحوي العنوان حرفًا أو رقمًا واحدًا على الأقل." in response.content.decode()


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_a_link_the_sanitiser_would_empty_is_refused_in_arabic(client, editor, section, href):
    """It was saved as href="": a dead link to the page itself, without a word."""
    client.force_login(editor)
    body = f'<p>انظر <a href="{href}">هذا الرابط</a> للتفاصيل.</p>'
    response = post_article(client, new_article_data(section, body_ar=body))
    page = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    assert "غير مسموح: استعمل عنوانًا يبدأ بـ https://" in page
    assert "هذا الرابط" in page  # the text comes back to correct


@pytest.mark.parametrize("href", ["", " "])
def test_a_link_with_an_empty_address_is_refused_naming_it(client, editor, section, href):
    """The editor's link box turns a refused ``javascript:`` address into href="": it was
    saved and published as a link to the page itself, without a word."""
    client.force_login(editor)
    body = f'<p>فقرة أخيرة فيها <a href="{href}" title="">رابط <b>المصدر</b></a>.</p>'
    response = post_article(client, new_article_data(section, body_ar=body))
    page = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    assert "الرابط على «رابط المصدر» بلا عنوان (يُفرغ المحرر عنوانًا لا يسمح به مثل" in page


def test_ordinary_links_pass(client, editor, section):
    client.force_login(editor)
    body = (
        '<p><a href="https://sana.sy/">سانا</a> <a href="/ar/section/x/">قسم</a> '
        '<a href="mailto:desk@example.sy">البريد</a> <a href="#p2">فقرة</a></p>'
    )
    response = post_article(client, new_article_data(section, body_ar=body))
    assert response.status_code == 302, form_errors(response)


def test_the_smaller_desk_lists_find_arabic_in_any_spelling(client, admin_user):
    """Articles, topics and comments folded spellings; sections, story files, redirects and
    live entries did not («سياسه» found nothing), and live entries had no search at all."""
    from articles.models import StoryFile
    from redirects.models import Redirect

    client.force_login(admin_user)
    make_section("سياسة")
    StoryFile.objects.create(title_ar="التراث الدمشقي")
    Redirect.objects.create(old_path="/ar/أخبار-قديمة", url="/ar/")
    for name, typed, shown in (
        ("articles_section", "سياسه", "سياسة"),
        ("articles_storyfile", "التراث الدمشقى", "التراث الدمشقي"),
        ("redirects_redirect", "اخبار", "/ar/أخبار-قديمة"),
    ):
        page = client.get(reverse(f"admin:{name}_changelist"), {"q": typed}).content.decode()
        assert shown in page, name
