"""Every model in the admin, for every role: no permission, no access.

Walks ``admin.site._registry`` at test time, so models registered later are covered too.
Roles are the groups that exist in the test database (the editorial groups once their
migration is merged); without any, that part is skipped with the reason printed.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db
PASSWORD = "نخلة-دمشق-2026-ليلكية"
# Holding any of these lets a user make themselves (or anyone) a superuser.
ESCALATING = {
    "auth.add_user", "auth.change_user", "auth.add_group", "auth.change_group",
    "auth.add_permission", "auth.change_permission", "auth.delete_permission",
}  # fmt: skip


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def existing_pk(model):
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj else "1"


def perm(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def check_denials(client, user):
    """Every admin view of every model the user holds no permission for answers 403."""
    failures, checked = [], 0
    for model in registered_models():
        pk = existing_pk(model)
        can_view = user.has_perm(perm(model, "view")) or user.has_perm(perm(model, "change"))
        cases = []
        if not can_view:
            cases.append(("GET", admin_url(model, "changelist")))
            cases.append(("GET", admin_url(model, "change", pk)))
        if not user.has_perm(perm(model, "add")):
            cases.append(("GET", admin_url(model, "add")))
            cases.append(("POST", admin_url(model, "add")))
        if not user.has_perm(perm(model, "change")):
            cases.append(("POST", admin_url(model, "change", pk)))
        if not user.has_perm(perm(model, "delete")):
            cases.append(("POST", admin_url(model, "delete", pk)))
        for method, url in cases:
            response = client.post(url, {"post": "yes"}) if method == "POST" else client.get(url)
            checked += 1
            if response.status_code != 403:
                failures.append(f"{user.username}: {method} {url} → {response.status_code}")
        if pk != "1" or model._default_manager.filter(pk=1).exists():
            assert model._default_manager.filter(pk=pk).exists(), f"{model} row was deleted"
    return failures, checked


@pytest.fixture
def rows(admin_user):
    make_article("خبر للصلاحيات")  # one row of each content model to aim at
    return admin_user


def test_staff_without_permissions_is_refused_everywhere(django_user_model, rows):
    staff = django_user_model.objects.create_user("nobody", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(staff)
    failures, checked = check_denials(client, staff)
    assert checked >= 6 * len(registered_models())
    assert failures == []
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in registered_models():
        assert admin_url(model, "changelist") not in index.content.decode()


def test_readers_cannot_reach_the_admin(django_user_model, rows):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    client = Client()
    client.force_login(reader)
    for model in registered_models():
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_each_role_is_refused_what_it_may_not_do(django_user_model, rows):
    groups = list(Group.objects.order_by("name"))
    if not groups:
        pytest.skip("no editorial groups exist yet (Writers, Editors, Comment moderators)")
    all_failures = []
    for group in groups:
        user = django_user_model.objects.create_user(
            f"role-{group.pk}", password=PASSWORD, is_staff=True
        )
        user.groups.add(group)
        user = django_user_model.objects.get(pk=user.pk)  # fresh permission cache
        escalating = sorted(ESCALATING & user.get_all_permissions())
        assert escalating == [], f"group {group.name} can escalate: {escalating}"
        client = Client()
        client.force_login(user)
        failures, _checked = check_denials(client, user)
        all_failures += [f"[{group.name}] {failure}" for failure in failures]
    assert all_failures == [], [g.name for g in groups]
