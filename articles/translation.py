import simple_history
from modeltranslation.translator import TranslationOptions, register
from simple_history.signals import pre_create_historical_record

from articles.models import (
    Article,
    ArticleVersionRelations,
    Author,
    Correction,
    MediaImage,
    Section,
    StoryFile,
    Topic,
    article_relations,
)


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"ar": ("name",)}


@register(Author)
class AuthorTranslationOptions(TranslationOptions):
    fields = ("name", "bio")
    required_languages = {"ar": ("name",)}


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"ar": ("name",)}


@register(StoryFile)
class StoryFileTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"ar": ("title",)}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        "title", "lead", "body", "image_caption", "image_alt", "seo_title", "meta_description",
    )  # fmt: skip
    required_languages = {"ar": ("title",)}


@register(MediaImage)
class MediaImageTranslationOptions(TranslationOptions):
    fields = ("alt_text", "caption")
    required_languages = {"ar": ("alt_text",)}


# Versions are registered here, after the translation fields exist, so that every version
# keeps the Arabic and English columns too (django-simple-history copies the model's fields
# at registration time; modeltranslation adds title_ar, title_en… at its own).
simple_history.register(
    Article,
    app="articles",
    bases=[ArticleVersionRelations],
    excluded_fields=[
        "view_count",
        "title_search",
        "updated_at",
        "image_renditions",
        "image_crops",
        "image_focal_x",
        "image_focal_y",
        "search_ar",
        "search_en",
    ],
    user_related_name="+",
)
simple_history.register(Correction, app="articles", user_related_name="+")


def _record_relations(sender, instance, history_instance, **kwargs):
    """Every new version of an article records its topics and bylines as they are now (the
    desk records them again once its inlines are saved: ArticleAdmin.save_related)."""
    if isinstance(instance, Article) and instance.pk:
        history_instance.relations = article_relations(instance)


pre_create_historical_record.connect(_record_relations, dispatch_uid="articles.version_relations")
