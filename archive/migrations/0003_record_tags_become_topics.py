"""The tags kept on import records (WordPress tags and further categories, imported before the
newsroom had topics) become topics of their articles. One topic per folded name, as the desk
makes them; a topic already there is reused. Running it again adds nothing."""

from django.db import migrations

from articles.text import normalize_arabic, unicode_slug


def topic_key(name: str) -> str:  # articles.models.topic_key, frozen here for the migration
    return " ".join(normalize_arabic(name or "").lower().split())


def record_tags_to_topics(apps, schema_editor):
    imported = apps.get_model("archive", "ImportedArticle")
    topic_model = apps.get_model("articles", "Topic")
    through = apps.get_model("articles", "Article").topics.through
    topics = {topic.name_key: topic for topic in topic_model.objects.all()}
    slugs = set(topic_model.objects.values_list("slug", flat=True))
    links = []
    for record in imported.objects.exclude(tags=[]).only("article_id", "tags").iterator():
        for name in record.tags or []:
            key = topic_key(name)
            if not key or name.lower().startswith("post-format-"):
                continue
            topic = topics.get(key)
            if topic is None:
                name = " ".join(name.split())[:100]
                base = unicode_slug(name, fallback="topic")
                slug, n = base, 2
                while slug in slugs:
                    slug, n = f"{base}-{n}", n + 1
                slugs.add(slug)
                topic = topics[key] = topic_model.objects.create(
                    name=name, name_ar=name, name_key=key, slug=slug
                )
            links.append(through(article_id=record.article_id, topic_id=topic.pk))
    through.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_legacy_paths_of_sections_and_authors"),
        ("articles", "0012_topics_squashed_0016_faster_search_text"),
    ]

    operations = [migrations.RunPython(record_tags_to_topics, migrations.RunPython.noop)]
