"""Form fields for what readers type: invisible and bidi control characters neutralised.

Bidi overrides (U+202E…), zero-width and control characters are removed both from the value
that is stored and from the value shown back in a form returned with an error, so a reader
never sees, and no one is shown, text reordered by a character they cannot see. Comments and
the newsletter form use these; every reader-facing text or email field should.
"""

import re

from django import forms

from articles.text import is_blank, strip_invisible

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class ReaderTextField(forms.CharField):
    """Reader text with invisible characters removed.

    A value with nothing visible left (zero-width spaces, bidi marks, tatweel) is empty,
    so ``required`` refuses it like a blank field.
    """

    def to_python(self, value):
        value = strip_invisible(super().to_python(value))
        return "" if is_blank(value) else value.strip()

    def bound_data(self, data, initial):
        return strip_invisible(data) if isinstance(data, str) else data


class ReaderEmailField(forms.EmailField):
    """An email address with bidi and zero-width marks removed before it is checked or shown.

    A control character (NUL, a line break…) has no place in an address: it is refused as
    invalid rather than silently joined up.
    """

    def to_python(self, value):
        value = value if isinstance(value, str) else ""
        if CONTROL.search(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = strip_invisible(value)
        return "" if is_blank(value) else super().to_python(value)

    def bound_data(self, data, initial):
        return strip_invisible(data) if isinstance(data, str) else data
