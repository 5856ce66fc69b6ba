"""Publishing a draft, restoring a layout from history, and the draft editors work on."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from frontpage import cache
from frontpage.models import Block, Layout, Slot

BLOCK_FIELDS = (
    "position", "kind", "title_ar", "title_en", "size", "section_id", "topic_id",
    "story_file_id", "author_id", "backfill", "deduplicate",
)  # fmt: skip
SLOT_FIELDS = (
    "position", "article_id", "label_ar", "label_en", "url_ar", "url_en", "starts_at", "ends_at",
)  # fmt: skip


def copy_blocks(*, source: Layout, target: Layout) -> None:
    """Give ``target`` a copy of ``source``'s blocks and slots (in a few queries)."""
    blocks = list(source.blocks.order_by("position", "id"))
    copies = Block.objects.bulk_create(
        [
            Block(layout=target, **{name: getattr(block, name) for name in BLOCK_FIELDS})
            for block in blocks
        ]
    )
    new_block = {block.pk: copy.pk for block, copy in zip(blocks, copies, strict=True)}
    Slot.objects.bulk_create(
        [
            Slot(block_id=new_block[slot.block_id], **{n: getattr(slot, n) for n in SLOT_FIELDS})
            for slot in Slot.objects.filter(block__layout=source).order_by("position", "id")
        ]
    )


def content(layout: Layout) -> tuple:
    """What a layout shows, block by block with their slots: two layouts with the same
    content look the same to readers, whatever their ids."""
    slots: dict[int, list[tuple]] = {}
    for slot in Slot.objects.filter(block__layout=layout).order_by("position", "id"):
        slots.setdefault(slot.block_id, []).append(tuple(getattr(slot, n) for n in SLOT_FIELDS))
    return tuple(
        (tuple(getattr(block, n) for n in BLOCK_FIELDS), tuple(slots.get(block.pk, ())))
        for block in layout.blocks.order_by("position", "id")
    )


def _live_of(draft: Layout) -> Layout | None:
    return Layout.objects.filter(section_id=draft.section_id, status=Layout.Status.LIVE).first()


def draft_has_unpublished_changes(draft: Layout) -> bool:
    """Whether the draft differs from its page's live layout (or there is none and the draft
    holds blocks): what a restore would throw away."""
    live = _live_of(draft)
    return content(draft) != (content(live) if live is not None else ())


def draft_is_live_already(draft: Layout) -> bool:
    """Whether a live layout shows just what the draft does: publishing it again would add an
    identical entry to the history and change nothing readers see."""
    live = _live_of(draft)
    return live is not None and content(draft) == content(live)


@transaction.atomic
def current_draft(section_id: int | None = None) -> Layout:
    """The draft editors work on for the home page (or section ``section_id``'s page): made
    as a copy of the live layout when there is none."""
    mine = Layout.objects.filter(section_id=section_id)
    draft = mine.filter(status=Layout.Status.DRAFT).first()
    if draft is not None:
        return draft
    live = mine.filter(status=Layout.Status.LIVE).first()
    draft = Layout.objects.create(
        status=Layout.Status.DRAFT, section_id=section_id, name=live.name if live else ""
    )
    if live is not None:
        copy_blocks(source=live, target=draft)
    return draft


@transaction.atomic
def publish(*, draft: Layout, user=None) -> Layout:
    """Make a copy of the draft the live layout; the layout live until now joins the history.
    The draft stays, for the next edition."""
    draft = Layout.objects.select_for_update().get(pk=draft.pk, status=Layout.Status.DRAFT)
    mine = Layout.objects.filter(section_id=draft.section_id)
    mine.filter(status=Layout.Status.LIVE).update(status=Layout.Status.HISTORY)
    live = Layout.objects.create(
        name=draft.name,
        section_id=draft.section_id,
        status=Layout.Status.LIVE,
        edited=draft.edited,
        version=draft.version,  # which save of the draft this is (every copy read «النسخة 1»)
        published_at=timezone.now(),
        published_by=user if user is not None and user.is_authenticated else None,
    )
    copy_blocks(source=draft, target=live)
    cache.layout_published(draft.section_id)
    return live


@transaction.atomic
def restore(*, layout: Layout) -> Layout:
    """Put a layout from history (or the live one) back into the draft, to preview and
    publish again; the draft's own blocks are replaced, and open forms on it become stale."""
    draft = current_draft(layout.section_id)
    draft = Layout.objects.select_for_update().get(pk=draft.pk)
    if layout.pk == draft.pk:
        return draft
    draft.blocks.all().delete()
    copy_blocks(source=layout, target=draft)
    Layout.objects.filter(pk=draft.pk).update(name=layout.name)
    draft.mark_saved()
    return draft
