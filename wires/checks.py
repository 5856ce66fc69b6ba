"""The wires' say on publishing: a draft taken from an item the agency withdrew stays
unpublished until an editor clears the flag (articles.models.pre_publish); and on the
draft's form, what the agency did since it was taken (articles.models.article_notices)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wires.models import TakenWire


def withdrawn_wire_blocks_publishing(sender, article, **kwargs):
    if TakenWire.objects.filter(article_id=article.pk, flag=TakenWire.Flag.WITHDRAWN).exists():
        return _(
            "The agency withdrew the wire this draft was taken from: it cannot be published "
            "until an editor clears the flag under «Drafts taken from wires»."
        )
    return None


def agency_changes_on_the_form(sender, article, **kwargs):
    """The draft's form says when the agency updated or withdrew its item since it was taken,
    with a link to the item (the queue said it; the form, where the editor works, did not)."""
    taken = (
        TakenWire.objects.filter(article_id=article.pk)
        .exclude(flag=TakenWire.Flag.NONE)
        .only("flag", "item_id")
        .first()
    )
    if taken is None:
        return None
    item = reverse("admin:wires_wireitem_change", args=[taken.item_id])
    if taken.flag == TakenWire.Flag.WITHDRAWN:
        text = _("The agency withdrew the wire this draft was taken from: do not publish it.")
    else:
        text = _("The agency updated the wire this draft was taken from since it was taken.")
    return format_html('{} <a href="{}">{}</a>', text, item, _("See the agency's text"))
