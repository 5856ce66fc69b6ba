"""Signing in to the desk in a browser test, as an editor would."""

from tests.articles.desk_helpers import make_staff


def sign_in(page, live_server, username="editor", group="المحررون"):
    """A new staff account in ``group``, signed in through the desk's own form."""
    make_staff(group, username=username)
    sign_in_as(page, live_server, username)


def sign_in_as(page, live_server, username, password="pw-desk-12345"):
    """An existing account signed in through the desk's own form."""
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()
