"""Generate a large newsroom for benchmarks: sections, authors, articles and comments.

Fast bulk inserts (``bulk_create`` in batches, no per-row ``save()``), meant for its own
database (``NEWSROOM_DB_NAME=bench_newsroom``, as ``make bench`` does): it refuses to add to a
database that already has articles unless ``--flush`` empties it first, and never touches the
demo database ``newsroom`` unless ``--allow-demo-database`` is given.

The first article (slug ``bench-article``) carries the text of the legacy article the peers
serve (../shared/seed/legacy-article-page.txt), when that file exists, so page sizes compare.
"""

import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Section

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


def sentence(rng, n_words):
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


class Command(BaseCommand):
    help = "Generate a large newsroom (bulk inserts) for benchmarks, in its own database."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--sections", type=int, default=50)
        parser.add_argument("--authors", type=int, default=50)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=8)
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
            f"{options[key]:,} {key}" for key in ("sections", "authors", "articles", "comments")
        )
        if options["dry_run"]:
            self.stdout.write(f"Would generate {plan} in {name!r}.")
            return
        with transaction.atomic():
            if options["flush"]:
                flush_newsroom()
            generate(**{k: options[k] for k in ("articles", "sections", "authors", "comments")},
                     rng=random.Random(options["seed"]))  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Generated {plan} in {name!r}."))


def flush_newsroom():
    import django_comments

    django_comments.get_model().objects.all().delete()
    Byline.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()


def generate(*, articles, sections, authors, comments, rng):
    section_rows = Section.objects.bulk_create(
        Section(name=f"قسم {i}", name_ar=f"قسم {i}", slug=f"قسم-{i}", order=i)
        for i in range(1, sections + 1)
    )
    author_rows = Author.objects.bulk_create(
        Author(name=f"كاتب {i}", name_ar=f"كاتب {i}", slug=f"كاتب-{i}", bio_ar=sentence(rng, 20))
        for i in range(1, authors + 1)
    )
    legacy = SEED_FILE.read_text().split("\n\n") if SEED_FILE.exists() else []
    legacy_body = "".join(f"<p>{p.strip()}</p>" for p in legacy if p.strip())
    now = timezone.now()
    batch = []
    for i in range(articles):
        first = i == 0
        title = BENCH_TITLE if first else sentence(rng, rng.randint(6, 12))
        body = (legacy_body if first and legacy_body else "") or "".join(
            f"<p>{sentence(rng, rng.randint(30, 60))}.</p>" for _ in range(rng.randint(4, 8))
        )
        lead = sentence(rng, 20)
        batch.append(
            Article(
                title=title, title_ar=title, lead=lead, lead_ar=lead, body=body, body_ar=body,
                slug=BENCH_SLUG if first else f"خبر-{i}",
                section=section_rows[0] if first else rng.choice(section_rows),
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=5 + 37 * i),
                source="الماسة السورية", view_count=rng.randint(0, 50_000),
            )
        )  # fmt: skip
    article_rows = Article.objects.bulk_create(batch, batch_size=2000)
    Byline.objects.bulk_create(
        (
            Byline(article=article, author=author, position=position)
            for article in article_rows
            for position, author in enumerate(rng.sample(author_rows, rng.choice((1, 1, 1, 2))))
        ),
        batch_size=5000,
    )
    generate_comments(article_rows, comments, rng)


def generate_comments(article_rows, count, rng):
    import django_comments

    model = django_comments.get_model()
    # The comment model extends django_comments' Comment through one-to-one parent links
    # (Comment <- XtdComment <- our ReaderComment): insert the root rows in bulk, then each
    # child table's rows in one INSERT … SELECT.
    chain = [*reversed(model._meta.get_parent_list()), model]
    base = chain[0]
    content_type = ContentType.objects.get_for_model(Article)
    site = Site.objects.get_current()
    now = timezone.now()
    rows = (
        base(
            content_type=content_type, object_pk=str(article_rows[i % len(article_rows)].pk),
            site=site, user_name=f"قارئ {i}", user_email=f"reader{i}@example.org",
            comment=sentence(rng, rng.randint(8, 40)), submit_date=now - timedelta(seconds=i),
            is_public=True, is_removed=False,
        )
        for i in range(count)
    )  # fmt: skip
    base.objects.bulk_create(rows, batch_size=5000)
    child_rows = {  # every generated comment starts its own thread
        "django_comments_xtd_xtdcomment": (
            '(comment_ptr_id, thread_id, parent_id, level, "order", followup, nested_count)',
            "SELECT id, id, id, 0, 1, false, 0 FROM django_comments",
            "comment_ptr_id",
        ),
        "comments_readercomment": (
            "(xtdcomment_ptr_id, content_hash, is_spam, hold_reason, awaiting_confirmation)",
            "SELECT comment_ptr_id, 'bench:' || comment_ptr_id, false, '', false"
            " FROM django_comments_xtd_xtdcomment",
            "xtdcomment_ptr_id",
        ),
    }
    with connection.cursor() as cursor:
        for table in (child._meta.db_table for child in chain[1:]):
            columns, select, pointer = child_rows[table]
            cursor.execute(
                f"INSERT INTO {table} {columns} {select} "
                f"WHERE {select.split()[1].rstrip(',')} NOT IN (SELECT {pointer} FROM {table})"
            )
