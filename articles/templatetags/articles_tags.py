import functools
import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, ngettext

from articles import dates
from articles.text import bare_credit, bare_headline, written_in_arabic
from caching import tags as tag

register = template.Library()


@register.filter
def arabic_date(value):
    """A date as the reader's language reads it (Levantine month names by default)."""
    return dates.format_date(value)


@register.filter
def arabic_datetime(value):
    return dates.format_date(value, with_time=True)


@register.filter
def local_digits(value):
    """Digits in the site's style (NEWSROOM_DIGITS) on Arabic pages."""
    return dates.local_digits(value)


@register.simple_tag
def view_count_label(count):
    """«7529 مشاهدة», «7 مشاهدات», digits per setting: the noun agrees with the number."""
    return ngettext("%(count)s view", "%(count)s views", count) % {
        "count": dates.local_number(count)
    }


# A number that falls in each of CLDR's plural categories, for Intl.PluralRules in the page's
# script (counters/static/js/view-counter.js), which rewrites the count as it grows.
_CATEGORY_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


@register.simple_tag
def view_count_forms():
    """`` data-forms="{…}"``: the label for each plural category, «{n}» for the number, so
    the script's new count takes the noun its number needs («9 مشاهدات», «11 مشاهدة»)."""
    return _view_count_forms(get_language() or settings.LANGUAGE_CODE)


@functools.cache
def _view_count_forms(language: str) -> str:
    """Made once per language and process (the catalogue does not change while it runs), not
    six lookups and a JSON dump on every article render."""
    forms = {
        category: ngettext("%(count)s view", "%(count)s views", sample) % {"count": "{n}"}
        for category, sample in _CATEGORY_SAMPLES.items()
    }
    return format_html(' data-forms="{}"', json.dumps(forms, ensure_ascii=False))


@register.filter
def focal_classes(image) -> str:
    """``fx-35 fy-20``: the image's focal point to the nearest 5%, for CSS crops
    (static/css/focal.css sets object-position from them; the CSP allows no style attribute).
    Takes a library image or an article (its lead image's point)."""
    if image is None:
        return ""
    x = getattr(image, "focal_x", getattr(image, "image_focal_x", 50))
    y = getattr(image, "focal_y", getattr(image, "image_focal_y", 50))
    return f"fx-{5 * round((x or 0) / 5)} fy-{5 * round((y or 0) / 5)}"


@register.inclusion_tag("includes/picture.html")
def picture(article, sizes="(max-width: 760px) 100vw, 760px", loading="lazy"):
    """A <picture> with WebP and JPEG srcsets, width and height from the stored renditions."""
    renditions = article.image_renditions or []
    largest = renditions[-1] if renditions else None
    return {
        "article": article,
        "renditions": renditions,
        "largest": largest,
        "sizes": sizes,
        "loading": loading,
        "MEDIA_URL": settings.MEDIA_URL,
    }


@register.simple_tag
def section_nav():
    """The sections menu in the header, in the sections' editorial order: one small query
    (compiled once per thread: articles/compiled.py) and some fifty links rendered once per
    language, then kept until a section changes."""
    from django.template.loader import render_to_string
    from modeltranslation.utils import get_language as translation_language

    from articles.compiled import compiled
    from articles.models import Section
    from caching.fragments import cached_fragment

    def build():
        return Section.objects.filter(in_navigation=True).only("pk", "slug", *section_name_fields())

    def render():
        key = translation_language()  # modeltranslation orders by the language's name field
        sections = compiled("section-nav", key, Section, build).instances()
        html = render_to_string("includes/section_nav.html", {"sections": sections})
        return html, {tag.section_menu()}  # the menu only: not the ticker beside it

    return cached_fragment(f"section-nav:{get_language()}", render).html


def section_name_fields():
    from modeltranslation.utils import build_localized_fieldname

    return [build_localized_fieldname("name", code) for code, _name in settings.LANGUAGES]


@register.simple_tag
def fallback_lang(obj, field: str, auto: bool = False) -> str:
    """`` lang="ar" dir="rtl"`` when ``obj.<field>`` shows on this page in the site's first
    language because it has no text of its own in the page's (django-modeltranslation's
    fallback): an English page quoting an Arabic lead or topic name says so, for screen
    readers' voices and for the text's direction (WCAG 3.1.2); otherwise nothing, or
    `` dir="auto"`` with ``auto=True`` (a title that may be in either script)."""
    otherwise = AUTO_DIRECTION if auto else ""
    language, first = get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE
    if obj is None or language == first:
        return otherwise
    # Only what the query loaded is looked at (a column left out is not asked for: no query);
    # a plain object (a "most read" entry, with slots) is read as it is.
    names = (f"{field}_{language}", f"{field}_{first}", field)
    if isinstance(obj, dict):
        loaded = obj
    elif hasattr(obj, "__dict__"):
        loaded = obj.__dict__
    else:
        loaded = {name: getattr(obj, name, None) for name in names}
    own, first_text = loaded.get(names[0]), loaded.get(names[1])
    if own is None and first_text is None:
        # Neither column is there: the text's letters say its language, as for the columns
        # kept once for both editions.
        shown = loaded.get(field)
        return _first_language_attributes(first) if written_in_arabic(shown) else otherwise
    if own or not first_text:
        return otherwise
    return _first_language_attributes(first)


AUTO_DIRECTION = mark_safe(' dir="auto"')


register.filter("bare_credit", bare_credit)
register.filter("bare_headline", bare_headline)  # under a «عاجل» label of its own


@register.filter
def its_language(text):
    """A text kept in one column for both editions (the source line, a photo credit, a
    correction) marked ``lang="ar" dir="rtl"`` when it is written in Arabic letters on a page
    that is not (WCAG 3.1.2: a screen reader reads it in an Arabic voice); otherwise as it is.
    Its letters decide: a column with no language of its own can only be judged by its
    script."""
    text = "" if text is None else str(text)
    language = get_language() or settings.LANGUAGE_CODE
    if not text or get_language_info(language)["bidi"] or not written_in_arabic(text):
        return text
    return format_html("<span{}>{}</span>", _first_language_attributes("ar"), text)


@functools.cache
def _first_language_attributes(code: str) -> str:
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return mark_safe(f' lang="{code}" dir="{direction}"')
