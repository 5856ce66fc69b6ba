import simple_history
from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Author, Correction, MediaImage, Section, StoryFile, Topic


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
    fields = ("title", "lead", "body", "image_caption", "image_alt")
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
    excluded_fields=[
        "view_count",
        "title_search",
        "updated_at",
        "image_renditions",
        "search_ar",
        "search_en",
    ],
    user_related_name="+",
)
simple_history.register(Correction, app="articles", user_related_name="+")
