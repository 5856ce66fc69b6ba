"""The article admin is assembled once, in desk/admin.py, from the parts the other apps
contribute; no module unregisters an admin to put a subclass of it in its place
(docs/architecture.md, "The article admin, assembled once")."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.article_admin import PublishRecordInline, PublishRecordMixin
from articles import admin as articles_admin
from articles.models import Article, Section
from desk import admin as desk_admin
from live.desk import ARTICLE_FORM_TEMPLATE as LIVE_FORM

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SKIPPED = {".venv", "node_modules", ".pgdata", ".git", "staticfiles", "media"}
UNREGISTER = re.compile(r"\bsite\.unregister\(")

# The one use of unregister left: replacing the admin another package registers for its own
# model (Django's Group and User, django-axes' attempts, django-otp's devices), which cannot be
# declined otherwise. Never a model of ours. Each line is listed: a new one fails the test.
REPLACED_PACKAGE_ADMINS = {
    ("accounts/admin.py", "admin.site.unregister(Group)"),
    ("accounts/admin.py", "admin.site.unregister(AccessAttempt)"),
    ("accounts/admin.py", "admin.site.unregister(model)"),  # TOTPDevice, StaticDevice
    ("accounts/admin.py", "admin.site.unregister(User)"),
}


def project_sources():
    for path in sorted(BASE_DIR.rglob("*.py")):
        relative = path.relative_to(BASE_DIR)
        if SKIPPED.isdisjoint(relative.parts):
            yield relative.as_posix(), path.read_text(encoding="utf-8")


def test_nothing_is_unregistered_to_be_registered_again():
    found = {
        (name, line.strip())
        for name, text in project_sources()
        for line in text.splitlines()
        if UNREGISTER.search(line) and name != "tests/desk/test_admin_assembly.py"
    }
    assert found - REPLACED_PACKAGE_ADMINS == set()


@pytest.mark.parametrize("model", ["Article", "Section"])
def test_the_content_admin_is_registered_in_one_place(model):
    registering = re.compile(rf"(admin\.register|site\.register)\(\s*{model}\b")
    places = [name for name, text in project_sources() if registering.search(text)]
    assert places == ["desk/admin.py"]


def test_the_registered_article_admin_is_the_desks_with_every_contributed_part():
    model_admin = admin.site.get_model_admin(Article)
    assert type(model_admin) is desk_admin.ArticleAdmin
    assert issubclass(desk_admin.ArticleAdmin, articles_admin.ArticleAdmin)
    assert issubclass(desk_admin.ArticleAdmin, PublishRecordMixin)  # accounts
    saved = model_admin.get_inlines(None, Article(pk=1))
    assert PublishRecordInline not in model_admin.get_inlines(None, None)  # the add page
    for part in (
        articles_admin.BylineInline,  # articles
        articles_admin.CorrectionInline,
        articles_admin.StatusChangeInline,
        desk_admin.AssignmentInline,  # desk
        desk_admin.NoteInline,
        PublishRecordInline,  # accounts
    ):
        assert list(saved).count(part) == 1, part
    assert {"publish_selected", "unpublish_selected", "move_to_section"} <= set(model_admin.actions)
    assert desk_admin.OnMyDeskFilter in model_admin.list_filter
    assert "desk_column" in model_admin.list_display
    assert model_admin.change_form_template == "desk/article_change_form.html"
    assert model_admin.add_form_template == LIVE_FORM  # live
    names = {pattern.name for pattern in model_admin.get_urls()}
    assert {"articles_article_compare", "articles_article_desk_heartbeat"} <= names
    section_admin = admin.site.get_model_admin(Section)
    assert type(section_admin) is desk_admin.SectionAdmin
    assert "views_by_day" in section_admin.readonly_fields


@pytest.mark.django_db
def test_the_article_page_draws_every_apps_part(desk):
    article = desk["article"]
    page = desk["a"].get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    templates = [template.name for template in page.templates]
    assert "desk/article_change_form.html" in templates  # desk: the lock and the stale save
    assert LIVE_FORM in templates  # live: its panel
    html = page.content.decode()
    assert 'id="desk-status"' in html and "live_desk.js" in html
    for prefix in (
        "bylines",  # articles
        "status_changes",
        "desk_notes",  # desk
        "assignment",
        "publish_records",  # accounts
    ):
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    add = desk["a"].get(reverse("admin:articles_article_add"))
    assert add.status_code == 200
    assert LIVE_FORM in [template.name for template in add.templates]
    assert 'name="publish_records-TOTAL_FORMS"' not in add.content.decode()  # nothing yet
