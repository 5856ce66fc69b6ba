"""The articles app's first ten migrations (0001 to 0010, with three empty merges) in one.

A database that applied them all takes this one as applied (``replaces``); a new database gets
the same schema from it: the tables, indexes and constraints, the view counter's and search
vocabulary's tables (moved to counters/ and discovery/ by 0011, which keeps their names), the
``newsroom_search_text()`` function that the generated search columns call, the counter tables'
fillfactor, and the roles' groups. tests/test_articles_squash.py compares the schema with the
one the replaced migrations made and migrates a database at their head forward.
Left out: 0003's fill_title_search, which filled a column of existing articles; a database
that this migration runs on has none.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import uploads.images
from articles.roles import ROLE_PERMISSIONS  # the one table, shared with the code

# The SQL twin of discovery.search.search_text (tags stripped, the few entities nh3 writes
# decoded, then articles.text.normalize_arabic), as 0002_search_discovery made it; the second
# squash (0012_topics_squashed_0016_…) gives it a faster body with the same result. IMMUTABLE,
# so it can feed the stored generated columns below.
REMOVED = (
    r"\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # C0/C1 controls
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # invisible marks
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # tashkeel
    r"\u0640"  # tatweel
)
FOLD_FROM = "\u0623\u0625\u0622\u0671\u0629\u0649\u0624\u0626" + "".join(
    chr(c) for c in [*range(0x0660, 0x066A), *range(0x06F0, 0x06FA)]
)
FOLD_TO = "\u0627\u0627\u0627\u0627\u0647\u064a\u0648\u064a" + "0123456789" * 2

CREATE_FUNCTION = (
    """
CREATE OR REPLACE FUNCTION newsroom_search_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
SELECT translate(
    regexp_replace(
        normalize(
            replace(replace(replace(replace(replace(replace(
                regexp_replace(t, '<[^>]*>', ' ', 'g'),
                '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''),
                '&amp;', '&'),
            NFKC),
        '[REMOVED]', '', 'g'),
    'FOLD_FROM', 'FOLD_TO')
$fn$;
"""
    .replace("REMOVED", REMOVED)
    .replace("FOLD_FROM", FOLD_FROM)
    .replace("FOLD_TO", FOLD_TO)
)
DROP_FUNCTION = "DROP FUNCTION IF EXISTS newsroom_search_text(text);"


def create_roles(apps, schema_editor):
    """The newsroom's roles as groups (0003), under the Arabic names that 0010 gave them."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations ran; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


# 0010: the roles' groups of older installs got Arabic names (the desk shows them as stored).
RENAMES = {
    "Writers": "كتّاب الأخبار",
    "Editors": "المحررون",
    "Comment moderators": "مشرفو التعليقات",
}


def rename(apps, schema_editor, renames=RENAMES):
    Group = apps.get_model("auth", "Group")
    for old, new in renames.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("articles", "0001_initial"),
        ("articles", "0002_comments_enabled"),
        ("articles", "0002_editorial_desk"),
        ("articles", "0002_search_discovery"),
        ("articles", "0002_view_counter"),
        ("articles", "0003_editorial_roles"),
        ("articles", "0003_search_terms"),
        ("articles", "0004_merge_0002_comments_enabled_0003_editorial_roles"),
        ("articles", "0005_history_comments_enabled"),
        ("articles", "0006_merge_0003_search_terms_0005_history_comments_enabled"),
        ("articles", "0007_merge_20261125_1809"),
        ("articles", "0008_live_latest_index"),
        ("articles", "0009_flagged_index"),
        ("articles", "0010_arabic_role_names"),
    ]

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_ar', models.CharField(max_length=100, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=100, null=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, max_length=100, unique=True, verbose_name='slug')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_ar', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ('order', 'name'),
            },
        ),
        migrations.CreateModel(
            name='Author',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, verbose_name='name')),
                ('name_ar', models.CharField(max_length=150, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=150, null=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, max_length=150, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('person', 'Person'), ('team', 'Team')], default='person', max_length=10, verbose_name='kind')),
                ('bio', models.TextField(blank=True, verbose_name='biography')),
                ('bio_ar', models.TextField(blank=True, null=True, verbose_name='biography')),
                ('bio_en', models.TextField(blank=True, null=True, verbose_name='biography')),
                ('photo', models.ImageField(blank=True, upload_to='authors/', validators=[uploads.images.validate_image_file], verbose_name='photo')),
            ],
            options={
                'verbose_name': 'author',
                'verbose_name_plural': 'authors',
                'ordering': ('name',),
            },
        ),
        migrations.CreateModel(
            name='MediaImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.ImageField(upload_to='library/%Y/%m/', validators=[uploads.images.validate_image_file], verbose_name='image')),
                ('alt_text', models.CharField(help_text='What the image shows, for screen readers.', max_length=300, verbose_name='alt text')),
                ('alt_text_ar', models.CharField(help_text='What the image shows, for screen readers.', max_length=300, null=True, verbose_name='alt text')),
                ('alt_text_en', models.CharField(help_text='What the image shows, for screen readers.', max_length=300, null=True, verbose_name='alt text')),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='caption')),
                ('caption_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='caption')),
                ('caption_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='caption')),
                ('credit', models.CharField(blank=True, max_length=150, verbose_name='credit')),
                ('renditions', models.JSONField(blank=True, default=list, editable=False, verbose_name='renditions')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'library image',
                'verbose_name_plural': 'media library',
                'ordering': ('-created_at', '-id'),
            },
        ),
        migrations.CreateModel(
            name='Article',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('title_ar', models.CharField(max_length=250, null=True, verbose_name='title')),
                ('title_en', models.CharField(max_length=250, null=True, verbose_name='title')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, help_text='Made from the title when left empty.', max_length=100, unique=True, verbose_name='slug')),
                ('lead', models.TextField(blank=True, help_text='A one or two sentence summary.', verbose_name='lead')),
                ('lead_ar', models.TextField(blank=True, help_text='A one or two sentence summary.', null=True, verbose_name='lead')),
                ('lead_en', models.TextField(blank=True, help_text='A one or two sentence summary.', null=True, verbose_name='lead')),
                ('body', models.TextField(blank=True, verbose_name='body')),
                ('body_ar', models.TextField(blank=True, null=True, verbose_name='body')),
                ('body_en', models.TextField(blank=True, null=True, verbose_name='body')),
                ('source', models.CharField(blank=True, help_text='For example: الماسة السورية', max_length=150, verbose_name='source')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='draft', max_length=20, verbose_name='status')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='publication time')),
                ('image', models.ImageField(blank=True, upload_to='articles/%Y/%m/', validators=[uploads.images.validate_image_file], verbose_name='lead image')),
                ('image_caption', models.CharField(blank=True, max_length=300, verbose_name='image caption')),
                ('image_caption_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='image caption')),
                ('image_caption_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='image caption')),
                ('image_credit', models.CharField(blank=True, max_length=150, verbose_name='image credit')),
                ('image_alt', models.CharField(blank=True, max_length=300, verbose_name='image alt text')),
                ('image_alt_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='image alt text')),
                ('image_alt_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='image alt text')),
                ('image_renditions', models.JSONField(blank=True, default=list, editable=False, verbose_name='image renditions')),
                ('view_count', models.PositiveBigIntegerField(default=0, help_text='Public view count, including imported figures.', verbose_name='views')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='articles.section', verbose_name='section')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('embargo_until', models.DateTimeField(blank=True, help_text='Nobody can publish this article before this time.', null=True, verbose_name='embargo until')),
                ('is_breaking', models.BooleanField(default=False, verbose_name='breaking news')),
                ('is_featured', models.BooleanField(default=False, help_text='Shown first and largest on the home page.', verbose_name='lead story')),
                ('pin_order', models.PositiveSmallIntegerField(blank=True, help_text='Pinned to the top of the home page; 1 comes first. Empty: not pinned.', null=True, verbose_name='pinned position')),
                ('title_search', models.CharField(blank=True, default='', editable=False, max_length=520, verbose_name='normalised title')),
                ('library_image', models.ForeignKey(blank=True, help_text='Pick an image from the media library instead of uploading one.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to='articles.mediaimage', verbose_name='image from the library')),
                ('comments_enabled', models.BooleanField(default=True, help_text='Readers may comment on this article.', verbose_name='comments open')),
                ('search_ar', models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(models.Func(models.F('title_ar'), function='newsroom_search_text', output_field=models.TextField()), config='arabic', weight='A'), '||', django.contrib.postgres.search.SearchVector(models.Func(models.F('lead_ar'), function='newsroom_search_text', output_field=models.TextField()), config='arabic', weight='B'), django.contrib.postgres.search.SearchConfig('arabic')), '||', django.contrib.postgres.search.SearchVector(models.Func(models.F('body_ar'), function='newsroom_search_text', output_field=models.TextField()), config='arabic', weight='C'), django.contrib.postgres.search.SearchConfig('arabic')), output_field=django.contrib.postgres.search.SearchVectorField(), verbose_name='Arabic search vector')),
                ('search_en', models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(models.Func(models.F('title_en'), function='newsroom_search_text', output_field=models.TextField()), config='english', weight='A'), '||', django.contrib.postgres.search.SearchVector(models.Func(models.F('lead_en'), function='newsroom_search_text', output_field=models.TextField()), config='english', weight='B'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.SearchVector(models.Func(models.F('body_en'), function='newsroom_search_text', output_field=models.TextField()), config='english', weight='C'), django.contrib.postgres.search.SearchConfig('english')), output_field=django.contrib.postgres.search.SearchVectorField(), verbose_name='English search vector')),
            ],
            options={
                'verbose_name': 'article',
                'verbose_name_plural': 'articles',
                'ordering': ('-published_at', '-id'),
                'get_latest_by': 'published_at',
                'indexes': [models.Index(fields=['status', '-published_at'], name='article_status_published_idx'), models.Index(condition=models.Q(('status__in', ('scheduled', 'published'))), fields=['section', '-published_at'], name='article_section_live_idx'), django.contrib.postgres.indexes.GinIndex(fields=['search_ar'], name='article_search_ar_gin'), django.contrib.postgres.indexes.GinIndex(fields=['search_en'], name='article_search_en_gin'), models.Index(models.OrderBy(models.F('published_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('status__in', ('scheduled', 'published'))), name='article_live_latest_idx'), models.Index(models.OrderBy(models.F('pin_order'), nulls_last=True), models.OrderBy(models.F('published_at'), descending=True), condition=models.Q(('is_featured', True), ('is_breaking', True), ('pin_order__isnull', False), _connector='OR'), name='article_flagged_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('scheduled', 'published')), _negated=True), ('published_at__isnull', False), _connector='OR'), name='article_live_has_time'), models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('scheduled', 'published')), _negated=True), ('embargo_until__isnull', True), ('published_at__gte', models.F('embargo_until')), _connector='OR'), name='article_respects_embargo')],
                'permissions': [('publish_article', 'Can publish, schedule and unpublish articles')],
            },
        ),
        migrations.CreateModel(
            name='Byline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bylines', to='articles.article')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bylines', to='articles.author', verbose_name='author')),
            ],
            options={
                'verbose_name': 'byline',
                'verbose_name_plural': 'bylines',
                'ordering': ('position', 'id'),
                'constraints': [models.UniqueConstraint(fields=('article', 'author'), name='byline_unique_author')],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='authors',
            field=models.ManyToManyField(related_name='articles', through='articles.Byline', to='articles.author', verbose_name='authors'),
        ),
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('correction', 'Correction'), ('clarification', 'Clarification')], default='correction', max_length=20, verbose_name='kind')),
                ('text', models.TextField(verbose_name='text')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='articles.article', verbose_name='article')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'correction',
                'verbose_name_plural': 'corrections',
                'ordering': ('-created_at', '-id'),
                'indexes': [models.Index(fields=['-created_at'], name='correction_created_idx')],
            },
        ),
        migrations.CreateModel(
            name='StatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='', max_length=20, verbose_name='from')),
                ('to_status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], max_length=20, verbose_name='to')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='articles.article', verbose_name='article')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
            ],
            options={
                'verbose_name': 'status change',
                'verbose_name_plural': 'status changes',
                'ordering': ('-changed_at', '-id'),
                'indexes': [models.Index(fields=['article', '-changed_at'], name='statuschange_article_idx')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalArticle',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('title_ar', models.CharField(max_length=250, null=True, verbose_name='title')),
                ('title_en', models.CharField(max_length=250, null=True, verbose_name='title')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, help_text='Made from the title when left empty.', max_length=100, verbose_name='slug')),
                ('lead', models.TextField(blank=True, help_text='A one or two sentence summary.', verbose_name='lead')),
                ('lead_ar', models.TextField(blank=True, help_text='A one or two sentence summary.', null=True, verbose_name='lead')),
                ('lead_en', models.TextField(blank=True, help_text='A one or two sentence summary.', null=True, verbose_name='lead')),
                ('body', models.TextField(blank=True, verbose_name='body')),
                ('body_ar', models.TextField(blank=True, null=True, verbose_name='body')),
                ('body_en', models.TextField(blank=True, null=True, verbose_name='body')),
                ('source', models.CharField(blank=True, help_text='For example: الماسة السورية', max_length=150, verbose_name='source')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='draft', max_length=20, verbose_name='status')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='publication time')),
                ('image', models.TextField(blank=True, max_length=100, validators=[uploads.images.validate_image_file], verbose_name='lead image')),
                ('image_caption', models.CharField(blank=True, max_length=300, verbose_name='image caption')),
                ('image_caption_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='image caption')),
                ('image_caption_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='image caption')),
                ('image_credit', models.CharField(blank=True, max_length=150, verbose_name='image credit')),
                ('image_alt', models.CharField(blank=True, max_length=300, verbose_name='image alt text')),
                ('image_alt_ar', models.CharField(blank=True, max_length=300, null=True, verbose_name='image alt text')),
                ('image_alt_en', models.CharField(blank=True, max_length=300, null=True, verbose_name='image alt text')),
                ('embargo_until', models.DateTimeField(blank=True, help_text='Nobody can publish this article before this time.', null=True, verbose_name='embargo until')),
                ('is_breaking', models.BooleanField(default=False, verbose_name='breaking news')),
                ('is_featured', models.BooleanField(default=False, help_text='Shown first and largest on the home page.', verbose_name='lead story')),
                ('pin_order', models.PositiveSmallIntegerField(blank=True, help_text='Pinned to the top of the home page; 1 comes first. Empty: not pinned.', null=True, verbose_name='pinned position')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('section', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.section', verbose_name='section')),
                ('library_image', models.ForeignKey(blank=True, db_constraint=False, help_text='Pick an image from the media library instead of uploading one.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.mediaimage', verbose_name='image from the library')),
                ('comments_enabled', models.BooleanField(default=True, help_text='Readers may comment on this article.', verbose_name='comments open')),
            ],
            options={
                'verbose_name': 'historical article',
                'verbose_name_plural': 'historical articles',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCorrection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('correction', 'Correction'), ('clarification', 'Clarification')], default='correction', max_length=20, verbose_name='kind')),
                ('text', models.TextField(verbose_name='text')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('article', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article', verbose_name='article')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical correction',
                'verbose_name_plural': 'historical corrections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('word', models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name='word')),
                ('key_length', models.PositiveSmallIntegerField(help_text='Letters, without a leading definite article.', verbose_name='length')),
                ('documents', models.PositiveIntegerField(verbose_name='articles')),
            ],
            options={
                'verbose_name': 'search term',
                'verbose_name_plural': 'search terms',
                'ordering': ('-documents',),
                'indexes': [models.Index(fields=['key_length', '-documents'], name='searchterm_length_idx')],
            },
        ),
        migrations.CreateModel(
            name='ViewReader',
            fields=[
                ('pk', models.CompositePrimaryKey('reader', 'article_id', blank=True, editable=False, primary_key=True, serialize=False)),
                ('reader', models.BinaryField(max_length=16, verbose_name='reader hash')),
                ('article_id', models.BigIntegerField(verbose_name='article')),
                ('seen_at', models.DateTimeField(verbose_name='counted at')),
            ],
            options={
                'verbose_name': 'recent reader',
                'verbose_name_plural': 'recent readers',
            },
        ),
        migrations.CreateModel(
            name='ViewSalt',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False, verbose_name='day')),
                ('salt', models.BinaryField(max_length=32, verbose_name='salt')),
            ],
            options={
                'verbose_name': 'view salt',
                'verbose_name_plural': 'view salts',
            },
        ),
        migrations.CreateModel(
            name='ArticleViewDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('shard', models.PositiveSmallIntegerField(default=0, verbose_name='shard')),
                ('views', models.PositiveBigIntegerField(default=0, verbose_name='views')),
                ('article', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='daily_views', to='articles.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'daily views',
                'verbose_name_plural': 'daily views',
                'indexes': [models.Index(fields=['day'], name='article_view_day_day_idx')],
                'constraints': [models.UniqueConstraint(fields=('article', 'day', 'shard'), name='article_view_day_unique')],
            },
        ),
        # Free room on each page so counter updates stay HOT (heap-only tuples: no index writes).
        migrations.RunSQL(
            "ALTER TABLE articles_articleviewday SET (fillfactor = 50);"
            "ALTER TABLE articles_viewreader SET (fillfactor = 70);",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(rename, rename_back),
    ]
