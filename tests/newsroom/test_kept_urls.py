"""``{% url %}`` and ``slug_url`` with their reversals remembered (newsroom/links.py): the same
addresses as Django's ``reverse`` in each language and under each script prefix, the same
errors, and a reversal made once."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import NoReverseMatch, URLResolver, clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from newsroom.links import kept_reverse
from newsroom.templatetags.kept_urls import KeptURLNode


def render(text, **context):
    return Template(text).render(Context(context))


def test_the_url_tag_gives_django_s_addresses_in_each_language_and_prefix():
    template = "{% url 'articles:detail' slug=slug %}|{% url 'articles:home' %}"
    assert isinstance(Template(template).nodelist[0], KeptURLNode)  # every template's tag
    try:
        for prefix in ("/", "/news-site/"):
            set_script_prefix(prefix)
            for language in ("ar", "en", "ar"):
                with translation.override(language):
                    expected = (
                        reverse("articles:detail", kwargs={"slug": "خبر-١"})
                        + "|"
                        + reverse("articles:home")
                    )
                    assert render(template, slug="خبر-١") == expected.replace("&", "&amp;")
                    assert expected.startswith(f"{prefix}{language}/")
    finally:
        clear_script_prefix()


def test_as_a_variable_escaped_and_with_positional_arguments():
    with translation.override("ar"):
        assert render("{% url 'articles:archive_year' 2024 as there %}[{{ there }}]") == (
            f"[{reverse('articles:archive_year', args=[2024])}]"
        )
        assert render("{% url 'no-such-name' as there %}[{{ there }}]") == "[]"


def test_a_name_that_does_not_reverse_fails_as_django_s_does():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-name' %}")
    with pytest.raises(NoReverseMatch):  # and again: a failure is never remembered
        render("{% url 'no-such-name' %}")
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


def test_a_reversal_is_made_once(monkeypatch):
    made = []
    original = URLResolver._reverse_with_prefix

    def counted(self, *args, **kwargs):
        made.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counted)
    with translation.override("ar"):
        first = kept_reverse("articles:section", kwargs={"slug": "kept-once-قسم"})
        again = kept_reverse("articles:section", kwargs={"slug": "kept-once-قسم"})
    with translation.override("en"):
        english = kept_reverse("articles:section", kwargs={"slug": "kept-once-قسم"})
    assert first == again != english
    assert made.count("section") == 2  # once per language
