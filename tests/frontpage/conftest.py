"""Layouts for the front page tests: ``build`` makes a draft's blocks and slots."""

import pytest

from frontpage.models import Block, Layout, Slot


def build(layout: Layout, *blocks: dict) -> Layout:
    """Blocks in order, each a dict of Block fields plus ``slots``: a list of dicts of Slot
    fields (an Article alone stands for ``{"article": it}``)."""
    for position, spec in enumerate(blocks, start=1):
        spec = dict(spec)
        slots = spec.pop("slots", [])
        block = Block.objects.create(layout=layout, position=position, **spec)
        for slot_position, slot in enumerate(slots, start=1):
            fields = slot if isinstance(slot, dict) else {"article": slot}
            fields.setdefault("position", slot_position)
            Slot.objects.create(block=block, **fields)
    return layout


@pytest.fixture
def draft(db):
    return Layout.objects.create(status=Layout.Status.DRAFT, name="صباح الاثنين")
