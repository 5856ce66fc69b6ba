"""Import an outlet's archive: WordPress export files (WXR) and the old site's saved pages.

    python manage.py import_archive export.xml pages/ [--uploads wp-content/uploads]
        [--fetch-media] [--dry-run]

Items are imported in batches of BATCH_SIZE, one transaction each; a broken item is rolled
back alone (its own savepoint), reported with its position (file:line), and the run goes on.
A run stopped at any point (even kill -9) is resumed by running it again. A second run
over the same files changes nothing: items are keyed on the source's own ids (WordPress
post ids, page title and date). Old addresses are recorded so that archive.middleware
answers them with a permanent redirect.
"""

import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.importer import ArchiveImporter, no_commit_wait
from archive.legacy import LegacyPageReader, looks_like_page
from archive.wxr import WXRReader, looks_like_wxr
from caching.pagecache import bumps_collected
from ops.maintenance import job_session

LISTED_PROBLEMS = 50
# Items per transaction. Each batch is committed whole or not at all (a run killed midway
# leaves no half-imported article) and then invalidates the cached pages once. 250 posts
# with their comments are a few multi-row INSERTs per table and a few MiB of memory.
BATCH_SIZE = 250


def batches(reader, size: int):
    """The reader's entries in lists of ``size``.

    (Parsing in a thread ahead of the import was tried: the GIL hand-offs between the two
    threads cost more than the overlap with PostgreSQL's work gained.)
    """
    batch = []
    for entry in reader:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def make_reader(path: Path, kind: str, category_as_topic=()):
    if not path.exists():
        raise CommandError(_("No such file or folder: %(path)s") % {"path": path})
    if kind == "wxr" or (kind == "auto" and path.is_file() and looks_like_wxr(path)):
        return WXRReader(path, category_as_topic=category_as_topic)
    if kind == "page" or path.is_dir() or looks_like_page(path):
        return LegacyPageReader(path)
    raise CommandError(
        _("%(path)s is neither a WordPress export nor a saved page (use --format).")
        % {"path": path}
    )


class Progress:
    """A one-line bar on a terminal; a line every ``every`` items otherwise (on stderr)."""

    def __init__(self, stream, enabled: bool, every: int = 1000):
        self.stream, self.enabled, self.every = stream, enabled, every
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.last_draw = 0.0

    def update(self, reader, stats, force=False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if not force and now - self.last_draw < 0.2:
                return
        elif not force and (stats.items == 0 or stats.items % self.every):
            return
        self.last_draw = now
        done = reader.bytes_read / reader.size if reader.size else 1
        bar = "#" * int(done * 20)
        elapsed = max(now - self.started, 1e-6)
        rate = stats.items / elapsed
        eta = int(elapsed * (1 - done) / done) if done > 0 else 0
        line = _(
            "[%(bar)-20s] %(percent)3d%% %(name)s · %(items)d items · created %(created)d · "
            "updated %(updated)d · skipped %(skipped)d · failed %(failed)d · %(rate).0f/s · "
            "%(eta)s left"
        ) % {
            "eta": f"{eta // 3600}:{eta // 60 % 60:02d}:{eta % 60:02d}",
            "bar": bar,
            "percent": done * 100,
            "name": reader.name,
            "items": stats.items,
            "created": stats.created,
            "updated": stats.updated,
            "skipped": stats.skipped_total,
            "failed": len(stats.failed),
            "rate": rate,
        }
        self.stream.write(("\r" + line) if self.tty else line + "\n", ending="")
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n", ending="")


class Command(BaseCommand):
    help = "Import WordPress exports (WXR) and saved legacy article pages into the newsroom."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="WXR files, pages or folders.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, save nothing."
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            help="The WordPress uploads folder: featured images and images in the bodies.",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download from the old site the images the uploads folder does not have.",
        )
        parser.add_argument(
            "--format", choices=("auto", "wxr", "page"), default="auto", help="Force a format."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress display.")
        parser.add_argument(
            "--category-as-topic",
            action="append",
            default=[],
            metavar="NAME",
            help=(
                "A WordPress category to import as a topic rather than a section (repeat it; "
                "'*' for every category). By default a post's first category is its section "
                "and its other categories and its tags are topics."
            ),
        )

    def handle(
        self,
        *args,
        paths,
        dry_run,
        uploads,
        format,
        fetch_media=False,
        no_progress,
        verbosity,
        category_as_topic=(),
        **options,
    ):
        uploads = Path(uploads) if uploads else None
        if uploads is not None and not uploads.is_dir():
            raise CommandError(_("No such uploads folder: %(path)s") % {"path": uploads})
        readers = [make_reader(path, format, category_as_topic) for path in paths]
        importer = ArchiveImporter(dry_run=dry_run, uploads=uploads, fetch_media=fetch_media)
        no_commit_wait()
        with job_session():  # a batch is a job's statement, not a page's
            self.import_all(readers, importer, dry_run, verbosity, no_progress)

    def import_all(self, readers, importer, dry_run, verbosity, no_progress):
        progress = Progress(self.stderr, enabled=verbosity >= 1 and not no_progress)
        started = time.monotonic()
        # Pages are invalidated once per batch, after its commit, not at every item.
        with bumps_collected() as bumps:
            for reader in readers:
                for batch in batches(reader, BATCH_SIZE):
                    self.import_batch(importer, batch, verbosity)
                    bumps.flush()
                    progress.update(reader, importer.stats)
                importer.finish_reader(reader)
                progress.update(reader, importer.stats, force=True)
        progress.close()
        if verbosity >= 1:
            self.report(importer.stats, time.monotonic() - started, dry_run, verbosity)
        broken = [reader for reader in readers if getattr(reader, "fatal", "")]
        if broken:
            raise CommandError(
                "; ".join(
                    _("%(name)s: %(problem)s") % {"name": reader.name, "problem": reader.fatal}
                    for reader in broken
                )
            )

    def import_batch(self, importer, batch, verbosity):
        if not batch:
            return
        outcomes = importer.handle_batch(batch)
        if verbosity >= 2:
            for entry, outcome in zip(batch, outcomes, strict=True):
                self.stdout.write(f"{getattr(entry, 'position', '')}: {outcome}")

    def report(self, stats, seconds, dry_run, verbosity):
        write, limit = self.stdout.write, None if verbosity >= 2 else LISTED_PROBLEMS
        if dry_run:
            write(self.style.WARNING(_("Dry run: nothing was saved.")))
        write(self.style.SUCCESS(_("created: %(n)d") % {"n": stats.created}))
        write(self.style.SUCCESS(_("updated: %(n)d") % {"n": stats.updated}))
        write(_("skipped: %(n)d") % {"n": stats.skipped_total})
        for reason, count in stats.skipped.most_common():
            write(f"  {count} × {reason}")
        style = self.style.ERROR if stats.failed else self.style.SUCCESS
        write(style(_("failed: %(n)d") % {"n": len(stats.failed)}))
        self.list_problems(stats.failed, limit)
        write(_("comments imported: %(n)d") % {"n": stats.comments})
        write(_("pingbacks and trackbacks left behind: %(n)d") % {"n": stats.pingbacks})
        write(_("old addresses recorded: %(n)d") % {"n": stats.legacy_paths})
        write(_("static pages made: %(n)d") % {"n": stats.pages})
        write(
            _("featured images: %(ok)d attached, %(bad)d not")
            % {"ok": stats.images, "bad": len(stats.image_problems)}
        )
        if stats.body_images:
            write(_("images in the bodies stored: %(n)d") % {"n": stats.body_images})
        self.list_problems(stats.image_problems, limit)
        if stats.embeds:
            write(
                _(
                    "embeds: %(n)d new (link cards until `manage.py resolve_embeds` asks their "
                    "providers)"
                )
                % {"n": stats.embeds}
            )
        if stats.galleries or stats.gallery_images or stats.gallery_problems:
            write(
                _("galleries: %(n)d made, %(images)d images put in, %(bad)d problems")
                % {
                    "n": stats.galleries,
                    "images": stats.gallery_images,
                    "bad": len(stats.gallery_problems),
                }
            )
            self.list_problems(stats.gallery_problems, limit)
        if stats.gallery_images_waiting:
            write(
                _(
                    "images of galleries waiting for --uploads (or --fetch-media): %(n)d; "
                    "run the import again with it"
                )
                % {"n": stats.gallery_images_waiting}
            )
        if stats.warnings:
            write(_("warnings: %(n)d") % {"n": len(stats.warnings)})
            self.list_problems(stats.warnings, limit)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        write(
            _("%(items)d items in %(seconds).1f s (%(rate).1f items/s); peak memory %(mb).0f MiB")
            % {
                "items": stats.items,
                "seconds": seconds,
                "rate": stats.items / max(seconds, 1e-6),
                "mb": peak,
            }
        )

    def list_problems(self, problems, limit):
        for problem in problems[:limit]:
            self.stdout.write(f"  {problem.position}: {problem.reason}")
        if limit is not None and len(problems) > limit:
            self.stdout.write(
                _("  … and %(n)d more (use -v 2 to list all)") % {"n": len(problems) - limit}
            )
