import io

import pytest
from django.core.management import call_command
from django.utils import translation

# The loopback oEmbed providers of the embeds tests: imported embeds are resolved by them.
from tests.embeds.conftest import provider_server, providers  # noqa: F401


@pytest.fixture
def run_import():
    """Run import_archive on paths; return its summary text (in English)."""

    def run(*paths, **options):
        out = io.StringIO()
        with translation.override("en"):
            call_command(
                "import_archive", *map(str, paths), stdout=out, stderr=io.StringIO(), **options
            )
        return out.getvalue()

    return run
