import simple_history
from modeltranslation.translator import TranslationOptions, register

from pages.models import Page


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = {"ar": ("title",)}


# After the translation fields exist, so every version keeps both languages (as articles do).
simple_history.register(Page, app="pages", excluded_fields=["updated_at"], user_related_name="+")
