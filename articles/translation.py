from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Author, Section


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"ar": ("name",)}


@register(Author)
class AuthorTranslationOptions(TranslationOptions):
    fields = ("name", "bio")
    required_languages = {"ar": ("name",)}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "lead", "body", "image_caption", "image_alt")
    required_languages = {"ar": ("title",)}
