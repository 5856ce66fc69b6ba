"""The desk's password rules speak Arabic: Django's own catalogue has no Arabic for its length
rule, so the project's does (locale/ar), with every Arabic plural form."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize("length", [1, 2, 3, 12, 100])
def test_the_length_rule_is_in_arabic_for_every_plural_form(settings, length):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": length + 1},
        }
    ]
    with translation.override("ar"), pytest.raises(ValidationError) as refused:
        password_validation.validate_password("x" * length)
    message = refused.value.messages[0]
    assert message.startswith("كلمة المرور هذه قصيرة جدًا") and str(length + 1) in message


def test_the_length_rule_reads_the_same_in_its_help_and_its_error():
    """The help said «12 أحرف» where the error said «12 محرفًا»."""
    rule = password_validation.MinimumLengthValidator(12)
    with translation.override("ar"):
        assert rule.get_help_text() == "يجب ألا تقل كلمة المرور عن 12 محرفًا."
        with pytest.raises(ValidationError) as refused:
            rule.validate("قصيرة")
    assert "12 محرفًا" in refused.value.messages[0]
