"""Generate a large newsroom for benchmarks: sections, authors, topics, articles and comments.

Streamed with PostgreSQL ``COPY`` (articles/bulk.py, the loader the archive import uses too),
``--chunk`` articles at a time with their bylines, topics (none to three each) and comments:
memory stays flat whatever ``--articles`` is, and a million articles take minutes, not hours.
Each row is what a saved article would store: the model's own derived columns
(``fill_derived_fields()``: the folded title, the sanitised body;
``created_at``/``updated_at``), and PostgreSQL computes the search vectors (generated columns)
as for any insert. Above ``--rebuild-indexes-above`` articles the two search GIN indexes are
dropped for the load and built once at the end (faster than growing them row by row), all
inside the one transaction, so an interrupted run leaves the database as it was.

Meant for its own database (``NEWSROOM_DB_NAME=bench_newsroom``, as ``make bench`` does): it
refuses to add to a database that already has articles unless ``--flush`` empties it first
(TRUNCATE of the newsroom's tables and what hangs on them), and never touches the demo
database ``newsroom`` unless ``--allow-demo-database`` is given.

The first article (slug ``bench-article``) carries the text of the legacy article the peers
serve (../shared/seed/legacy-article-page.txt), when that file exists, so page sizes compare.
"""

import random
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.bulk import copy_instances, reserve_ids
from articles.models import Article, Author, Byline, Section, Topic, topic_key
from ops.maintenance import job_session

SEED_FILE = Path(settings.BASE_DIR).parent.parent / "shared" / "seed" / "legacy-article-page.txt"
BENCH_SLUG = "bench-article"
BENCH_TITLE = "الغارديان: انشقاق المقاتلين الأجانب عن التنظيم وفرارهم نحو تركيا"
WORDS = (
    "الحكومة البرلمان دمشق حلب حمص اللاذقية الاقتصاد الليرة الأسعار الكهرباء المياه الطلاب "
    "الجامعة المدارس المستشفى الأطباء المزارعون القمح الزيتون الصادرات المرفأ الطريق الجسر "
    "المدينة الريف الشتاء الأمطار الوزير المحافظ المجلس الانتخابات المفاوضات الاتفاق الحدود "
    "اللاجئين العودة الإعمار السكن الإيجارات المصرف الاستثمار السياحة المهرجان المسرح الكتاب "
    "المنتخب الدوري الملعب الفريق المدرب الجمهور الصحفيين التقرير الدراسة المنظمة المساعدات"
).split()
# Dropped during a big load and built at the end (articles/models.py Article.Meta.indexes).
SEARCH_INDEXES = {"article_search_ar_gin": "search_ar", "article_search_en_gin": "search_en"}


def sentence(rng, n_words):
    return " ".join(rng.choices(WORDS, k=n_words))


class Command(BaseCommand):
    help = "Generate a large newsroom (streamed COPY) for benchmarks, in its own database."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--sections", type=int, default=50)
        parser.add_argument("--authors", type=int, default=50)
        parser.add_argument("--topics", type=int, default=100)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument(
            "--chunk", type=int, default=2_000, help="Articles per COPY (memory is per chunk)."
        )
        parser.add_argument(
            "--rebuild-indexes-above",
            type=int,
            default=50_000,
            help="Drop the search indexes for the load and build them at the end above this.",
        )
        parser.add_argument("--flush", action="store_true", help="Empty the newsroom first.")
        parser.add_argument("--allow-demo-database", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be made.")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if name == "newsroom" and not options["allow_demo_database"]:
            raise CommandError(
                "Refusing to fill the demo database 'newsroom': set NEWSROOM_DB_NAME "
                "(e.g. bench_newsroom) or pass --allow-demo-database."
            )
        if Article.objects.exists() and not options["flush"]:
            raise CommandError(f"Database {name!r} already has articles; use --flush.")
        plan = ", ".join(
            f"{options[key]:,} {key}"
            for key in ("sections", "authors", "topics", "articles", "comments")
        )
        if options["dry_run"]:
            self.stdout.write(f"Would generate {plan} in {name!r}.")
            return
        started = time.monotonic()
        shown = [started]

        def progress(done, total, *, stage="articles", force=False):
            now = time.monotonic()
            if options["verbosity"] < 1 or not (force or now - shown[0] >= 10):
                return
            shown[0] = now
            rate = done / max(now - started, 1e-9)
            eta = (total - done) / rate if rate else 0
            self.stderr.write(
                f"{stage}: {done:,} / {total:,} ({rate:,.0f}/s, "
                f"{now - started:,.0f} s, ETA {eta:,.0f} s)"
            )
            self.stderr.flush()

        # One transaction (all or nothing), statements under the jobs' timeout: building a
        # GIN index over a million articles outlasts the web's 30 s.
        with job_session(), transaction.atomic():
            if options["flush"]:
                flush_newsroom()
            generate(
                **{
                    k: options[k] for k in ("articles", "sections", "authors", "topics", "comments")
                },
                rng=random.Random(options["seed"]),
                chunk=max(1, options["chunk"]),
                rebuild_indexes=options["articles"] > options["rebuild_indexes_above"],
                progress=progress,
            )
        with job_session(), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {plan} in {name!r} in {time.monotonic() - started:,.1f} s."
                )
            )


def flush_newsroom():
    """Empty the newsroom's tables, and every table pointing at them, in one TRUNCATE
    (a million-article ``delete()`` would load every row into memory first)."""
    import django_comments

    tables = [
        model._meta.db_table
        for model in (
            *reversed(django_comments.get_model()._meta.get_parent_list()),
            django_comments.get_model(),
            Byline,
            Article.topics.through,
            Article,
            Author,
            Topic,
            Section,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending checks
        cursor.execute(f"TRUNCATE {', '.join(map(connection.ops.quote_name, tables))} CASCADE")


def generate(*, articles, sections, authors, comments, rng, topics=0, chunk=2_000,
             rebuild_indexes=False, progress=None):  # fmt: skip
    section_rows = Section.objects.bulk_create(
        Section(name=f"قسم {i}", name_ar=f"قسم {i}", slug=f"قسم-{i}", order=i)
        for i in range(1, sections + 1)
    )
    author_rows = Author.objects.bulk_create(
        Author(name=f"كاتب {i}", name_ar=f"كاتب {i}", slug=f"كاتب-{i}", bio_ar=sentence(rng, 20))
        for i in range(1, authors + 1)
    )
    topic_rows = Topic.objects.bulk_create(
        Topic(name=name, name_ar=name, name_key=topic_key(name), slug=name.replace(" ", "-"))
        for name in (f"موضوع {i}" for i in range(1, topics + 1))
    )
    legacy = SEED_FILE.read_text().split("\n\n") if SEED_FILE.exists() else []
    legacy_body = "".join(f"<p>{p.strip()}</p>" for p in legacy if p.strip())
    comment_rows = CommentRows(comments=comments, articles=articles, rng=rng)
    now = timezone.now()
    with connection.cursor() as cursor:
        if rebuild_indexes:
            for index in SEARCH_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
        for start in range(0, articles, chunk):
            count = min(chunk, articles - start)
            ids = reserve_ids(Article, count)
            batch = []
            for i, pk in zip(range(start, start + count), ids, strict=True):
                first = i == 0
                title = BENCH_TITLE if first else sentence(rng, rng.randint(6, 12))
                body = (legacy_body if first and legacy_body else "") or "".join(
                    f"<p>{sentence(rng, rng.randint(30, 60))}.</p>"
                    for _ in range(rng.randint(4, 8))
                )
                lead = sentence(rng, 20)
                article = Article(
                    id=pk, title=title, title_ar=title, lead=lead, lead_ar=lead, body=body,
                    body_ar=body, slug=BENCH_SLUG if first else f"خبر-{i}",
                    section=section_rows[0] if first else rng.choice(section_rows),
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=5 + 37 * i),
                    source="الماسة السورية", view_count=rng.randint(0, 50_000),
                )  # fmt: skip
                article.fill_derived_fields()  # what save() derives: folded title, clean body
                batch.append(article)
            copy_instances(Article, batch, reserve=False, queued=True)
            bylines = [
                Byline(article_id=article.pk, author=author, position=position)
                for article in batch
                for position, author in enumerate(
                    rng.sample(author_rows, min(len(author_rows), rng.choice((1, 1, 1, 2))))
                )
            ]
            copy_instances(Byline, bylines, queued=True)
            if topic_rows:  # the first article (the one measured) is about the first topic
                copy_instances(
                    Article.topics.through,
                    [
                        Article.topics.through(article_id=article.pk, topic=topic)
                        for index, article in enumerate(batch)
                        for topic in (
                            [topic_rows[0]]
                            if start + index == 0
                            else rng.sample(topic_rows, min(len(topic_rows), rng.randint(0, 3)))
                        )
                    ],
                    queued=True,
                )
            comment_rows.write(range(start, start + count), ids)
            if progress is not None:
                progress(start + count, articles, force=start + count == articles)
        if rebuild_indexes:
            # Check the deferred foreign keys now: CREATE INDEX refuses pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for index, column in SEARCH_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX {index} ON {Article._meta.db_table} USING gin ({column})"
                )


class CommentRows:
    """Readers' comments, ``comments`` in all, comment ``i`` on article ``i % articles``
    (each starts its own thread), written chunk by chunk beside their articles.

    The comment model extends django_comments' Comment through one-to-one parent links
    (Comment <- XtdComment <- our ReaderComment): one COPY per table, the same ids in each.
    """

    def __init__(self, *, comments, articles, rng):
        import django_comments

        self.model = django_comments.get_model()
        self.chain = [*reversed(self.model._meta.get_parent_list()), self.model]
        self.count, self.articles, self.rng = comments, articles, rng
        self.content_type = ContentType.objects.get_for_model(Article)
        self.site = Site.objects.get_current()
        self.now = timezone.now()

    def numbers(self, positions):
        """The comment numbers ``i`` that fall on the articles at ``positions``."""
        for position in positions:
            yield from range(position, self.count, self.articles) if self.articles else ()

    def write(self, positions, article_ids):
        pairs = [
            (i, article_ids[i % self.articles - positions.start]) for i in self.numbers(positions)
        ]
        if not pairs:
            return
        rows = []
        for (i, article_id), pk in zip(pairs, reserve_ids(self.chain[0], len(pairs)), strict=True):
            comment = self.model(
                content_type=self.content_type, object_pk=str(article_id), site=self.site,
                user_name=f"قارئ {i}", user_email=f"reader{i}@example.org",
                comment=sentence(self.rng, self.rng.randint(8, 40)),
                submit_date=self.now - timedelta(seconds=i), is_public=True, is_removed=False,
                thread_id=pk, parent_id=pk, level=0, order=1, followup=False, nested_count=0,
                content_hash=f"bench:{pk}",
            )  # fmt: skip
            for model in self.chain:  # the same id in every table of the chain
                setattr(comment, model._meta.pk.attname, pk)
            rows.append(comment)
        for model in self.chain:  # one COPY per table, root first: each its own columns
            copy_instances(model, rows, reserve=False, queued=True)
