"""The demo newsroom ships a curated front page, published; load_demo never overwrites a
layout an editor has saved."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from frontpage import services
from frontpage.models import Layout

pytestmark = pytest.mark.django_db


def test_demo_front_page_is_published_and_shown():
    call_command("load_demo", verbosity=0)
    live = Layout.objects.get(status="live")
    kinds = list(live.blocks.values_list("kind", flat=True))
    assert kinds[:4] == ["lead", "live", "opinion", "picked"] and "links" in kinds
    assert not live.edited
    home = Client().get(reverse("articles:home")).content.decode()
    assert "عمود رانيا الحداد" in home and "التراث الدمشقي" in home and "عن الماسة" in home
    english = Client().get("/en/").content.decode()
    assert 'href="/en/page/' in english


def test_load_demo_keeps_an_edited_front_page():
    call_command("load_demo", verbosity=0)
    draft = services.current_draft()
    draft.blocks.exclude(kind="lead").delete()
    draft.mark_saved()  # what the desk does on every save
    services.publish(draft=draft)
    call_command("load_demo", "--force", verbosity=0)
    live = Layout.objects.get(status="live")
    assert list(live.blocks.values_list("kind", flat=True)) == ["lead"]
    assert Layout.objects.count() == 3  # the draft, the demo's in history, the editor's live
