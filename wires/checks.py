"""The wires' say on publishing: a draft taken from an item the agency withdrew stays
unpublished until an editor clears the flag (articles.models.pre_publish)."""

from django.utils.translation import gettext as _

from wires.models import TakenWire


def withdrawn_wire_blocks_publishing(sender, article, **kwargs):
    if TakenWire.objects.filter(article_id=article.pk, flag=TakenWire.Flag.WITHDRAWN).exists():
        return _(
            "The agency withdrew the wire this draft was taken from: it cannot be published "
            "until an editor clears the flag under «Drafts taken from wires»."
        )
    return None
