"""The articles app's migrations 0012 to 0016 in one: topics and their old addresses, story
files, the topics and bylines kept with each version, sections in the menu, and the faster body
of ``newsroom_search_text()`` (0016).

A database that applied them all takes this one as applied (``replaces``).

The function's body: PostgreSQL's translate() compares every character of the text with every
character of its ``from`` list: 28 folds (8 letters, 20 digits) took 1.5 s of 2.7 s for 10,000
imported bodies (make bench-import). The letters are folded by a chain of replace() (one fast
search each; no fold's target is another's source, so the order is free) and the digits by
translate() only when the text has an Arabic-Indic digit at all. The result is unchanged, so
stored search vectors stay valid (tests/discovery/test_search.py compares it with its Python
twin, discovery.search.search_text). It calls no other function of ours: pg_restore runs with
an empty search_path and would not find one.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

import uploads.images

earlier = import_module("articles.migrations.0001_initial_squashed_0010_arabic_role_names")

LETTERS = list(zip(earlier.FOLD_FROM[:8], earlier.FOLD_TO[:8], strict=True))
DIGITS_FROM, DIGITS_TO = earlier.FOLD_FROM[8:], earlier.FOLD_TO[8:]

FOLDED = """OPEN
    regexp_replace(
        normalize(
            replace(replace(replace(replace(replace(replace(
                regexp_replace(t, '<[^>]*>', ' ', 'g'),
                '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''),
                '&amp;', '&'),
            NFKC),
        '[REMOVED]', '', 'g')
    CLOSE"""
# Whether to fold digits is asked of the text as given: none of the steps before makes or
# removes an Arabic-Indic digit (no character's NFKC form has one; checked over all of Unicode).
# Only one branch of the CASE is evaluated.
CREATE_FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION newsroom_search_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
SELECT CASE WHEN t ~ '[DIGITS_FROM]' THEN translate(FOLDED, 'DIGITS_FROM', 'DIGITS_TO')
       ELSE FOLDED END
$fn$;
""".replace("FOLDED", FOLDED)
    .replace("OPEN", "replace(" * len(LETTERS))
    .replace("CLOSE", "".join(f", '{source}', '{target}')" for source, target in LETTERS))
    .replace("REMOVED", earlier.REMOVED)
    .replace("DIGITS_FROM", DIGITS_FROM)
    .replace("DIGITS_TO", DIGITS_TO)
)
RESTORE_FUNCTIONS = earlier.CREATE_FUNCTION


class Migration(migrations.Migration):
    replaces = [
        ("articles", "0012_topics"),
        ("articles", "0013_story_files"),
        ("articles", "0014_versions_keep_topics_and_bylines"),
        ("articles", "0015_section_in_navigation"),
        ("articles", "0016_faster_search_text"),
    ]

    dependencies = [
        ("articles", "0011_view_counter_and_search_terms_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_ar', models.CharField(max_length=100, null=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=100, null=True, verbose_name='name')),
                ('name_key', models.CharField(default='', editable=False, max_length=100, unique=True, verbose_name='normalised name')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, max_length=100, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_ar', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('image', models.ImageField(blank=True, upload_to='topics/', validators=[uploads.images.validate_image_file], verbose_name='image')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'topic',
                'verbose_name_plural': 'topics',
                'ordering': ('name',),
            },
        ),
        migrations.AddField(
            model_name='article',
            name='topics',
            field=models.ManyToManyField(blank=True, related_name='articles', to='articles.topic', verbose_name='topics'),
        ),
        migrations.CreateModel(
            name='TopicRedirect',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name='old slug')),
                ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='redirects', to='articles.topic', verbose_name='topic')),
            ],
            options={
                'verbose_name': 'old topic address',
                'verbose_name_plural': 'old topic addresses',
            },
        ),
        migrations.CreateModel(
            name='StoryFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('title_ar', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('title_en', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('slug', models.SlugField(allow_unicode=True, blank=True, max_length=100, unique=True, verbose_name='slug')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_ar', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'story file',
                'verbose_name_plural': 'story files',
                'ordering': ('-created_at', '-id'),
            },
        ),
        migrations.CreateModel(
            name='StoryFileEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='story_entries', to='articles.article', verbose_name='article')),
                ('story_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='articles.storyfile', verbose_name='story file')),
            ],
            options={
                'verbose_name': 'article in the file',
                'verbose_name_plural': 'articles in the file',
                'ordering': ('position', 'pk'),
                'constraints': [models.UniqueConstraint(fields=('story_file', 'article'), name='story_file_entry_unique')],
            },
        ),
        migrations.AddField(
            model_name='storyfile',
            name='articles',
            field=models.ManyToManyField(related_name='story_files', through='articles.StoryFileEntry', to='articles.article', verbose_name='articles'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='relations',
            field=models.JSONField(blank=True, default=dict, verbose_name='topics and bylines'),
        ),
        migrations.AddField(
            model_name='section',
            name='in_navigation',
            field=models.BooleanField(default=True, help_text="Listed in the site's sections menu and given a block on the home page. Sections made by an archive import start outside until an editor places them.", verbose_name='in the menu'),
        ),
        migrations.RunSQL(CREATE_FUNCTIONS, RESTORE_FUNCTIONS),
    ]
