"""URL converters shared by every app's URLconf."""

from django.urls import register_converter


class UnicodeSlugConverter:
    """Slugs made by ``slugify(allow_unicode=True)``: letters of any script, digits, - and _."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")
