"""Turn the standalone provider links of articles saved outside the desk (imports, scripts)
into embeds (the import's pending cards among them), or ask the providers again about the
link cards (--cards)."""

from django.core.management.base import BaseCommand
from django.db.models import Q

from articles.models import Article
from caching import tags as tag
from caching.pagecache import bump
from embeds.models import Embed
from embeds.services import embed_links, resolve


class Command(BaseCommand):
    help = "Resolve the embeds of articles' bodies; with --cards, ask again about link cards."

    def add_arguments(self, parser):
        parser.add_argument("--cards", action="store_true", help="Ask again about link cards.")
        parser.add_argument("--dry-run", action="store_true", help="Only count the links.")

    def handle(self, *args, cards=False, dry_run=False, verbosity=1, **options):
        # Links met before but never asked about (an import's) are resolved like new ones.
        known = set(
            Embed.objects.exclude(reason=Embed.Reason.PENDING).values_list("url", flat=True)
        )
        made = asked = 0
        with_links = Q(body_ar__contains="http") | Q(body_en__contains="http")
        rows = Article.objects.filter(with_links).values_list("pk", "body_ar", "body_en")
        for pk, *bodies in rows.iterator():
            links = [link for body in bodies for link in embed_links(body or "")]
            new = [link for link in dict.fromkeys(links) if link not in known]
            if new and not dry_run:
                for link in new:
                    resolve(link)
                    known.add(link)
                bump(tag.article(pk))
            made += len(new)
        if cards:
            for embed in Embed.objects.filter(status=Embed.Status.CARD):
                asked += 1
                if not dry_run:
                    resolve(embed.url, refresh=True)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"{made} new embeds, {asked} cards asked again")
                + (" (dry run)" if dry_run else "")
            )
