"""Two-factor sign-in for the desk: the gate, enrolment, the code after the password, recovery
codes, reused and wrong codes (django-axes), and the reset command."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import DeskSession
from tests.accounts.conftest import PASSWORD, code_for, enrol, sign_in
from tests.articles.desk_helpers import make_staff
from tests.factories import make_article

pytestmark = pytest.mark.django_db

VERIFY = "/ar/admin/account/code/"
ENROL = "/ar/admin/account/two-factor/set-up/"
DESK_PAGES = [
    "/ar/admin/",
    "/ar/admin/articles/article/",
    "/ar/admin/articles/article/add/",
    "/ar/admin/auth/user/",
    "/ar/admin/password_change/",
    "/ar/admin/account/two-factor/",
    "/ar/admin/account/sessions/",
    "/ar/admin/accounts/publishrecord/",
]


def path_of(response):
    return response["Location"].split("?")[0]


class TestTheGate:
    def test_editor_without_second_factor_reaches_only_enrolment(self, client, editor):
        response = sign_in(client, "editor")
        assert response.status_code == 302
        for url in DESK_PAGES:
            response = client.get(url)
            assert response.status_code == 302, url
            assert path_of(response) == ENROL, url
        page = client.get(ENROL)
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" in html and "qr-code" in html
        assert "إعداد التحقق بخطوتين" in html
        # Only signing out is offered in the top bar: the other links would lead back here.
        user_tools = html.split('id="user-tools"')[1].split("</div>")[0]
        assert "/ar/admin/logout/" in user_tools
        assert "password_change" not in user_tools and "/account/sessions/" not in user_tools
        # The verify page sends an account with no authenticator to enrolment.
        assert path_of(client.get(VERIFY)) == ENROL
        # Nothing was changed by trying: still no confirmed authenticator.
        assert not twofactor.is_enrolled(editor)

    def test_password_only_session_is_a_reader_on_the_site(self, client, editor):
        draft = make_article("مسودة سرية", published=False)
        response = sign_in(client, "editor")
        assert response.status_code == 302
        assert client.get(draft.get_absolute_url()).status_code == 404
        # Once verified the same editor previews it.
        device, _codes = enrol(editor)
        client.get("/ar/admin/")
        response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        assert response.status_code == 302
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_superuser_is_required_too(self, client, django_user_model):
        django_user_model.objects.create_superuser("boss", "b@example.org", PASSWORD)
        sign_in(client, "boss")
        assert path_of(client.get("/ar/admin/")) == ENROL

    def test_writer_may_enter_without_and_opt_in(self, client, writer):
        sign_in(client, "writer")
        assert client.get("/ar/admin/").status_code == 200
        overview = client.get("/ar/admin/account/two-factor/").content.decode()
        assert "التحقق بخطوتين غير مفعّل لحسابك" in overview
        device = twofactor.pending_enrolment(writer)
        assert client.get(ENROL).status_code == 200
        response = client.post(ENROL, {"code": code_for(device)})
        assert response.status_code == 302
        assert twofactor.is_enrolled(writer)
        # From now on the writer's sign-in asks for the code as well.
        other = Client()
        sign_in(other, "writer")
        assert path_of(other.get("/ar/admin/")) == VERIFY

    def test_requirement_off_lets_an_editor_in_with_the_password(self, settings, client, editor):
        settings.NEWSROOM_REQUIRE_2FA = False
        sign_in(client, "editor")
        assert client.get("/ar/admin/").status_code == 200

    def test_requirement_is_on_by_default(self, monkeypatch):
        import importlib

        import newsroom.settings as project_settings

        monkeypatch.delenv("NEWSROOM_REQUIRE_2FA", raising=False)
        assert importlib.reload(project_settings).NEWSROOM_REQUIRE_2FA is True
        monkeypatch.setenv("NEWSROOM_REQUIRE_2FA", "off")
        assert importlib.reload(project_settings).NEWSROOM_REQUIRE_2FA is False
        monkeypatch.delenv("NEWSROOM_REQUIRE_2FA")
        importlib.reload(project_settings)


class TestEnrolment:
    def test_wrong_code_keeps_the_same_secret_and_enrols_nothing(self, client, editor):
        sign_in(client, "editor")
        first = client.get(ENROL).content.decode()
        device = TOTPDevice.objects.get(user=editor, confirmed=False)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = client.post(ENROL, {"code": wrong})
        assert response.status_code == 200
        assert "الرمز غير مطابق" in response.content.decode()
        assert not twofactor.is_enrolled(editor)
        # The page shows the same key again (the app already scanned it).
        assert twofactor.secret_for_typing(device) in first
        assert twofactor.secret_for_typing(device) in response.content.decode()

    def test_right_code_enrols_and_shows_ten_recovery_codes_once(self, client, editor):
        sign_in(client, "editor")
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=editor, confirmed=False)
        # Arabic-Indic digits, as an Arabic keyboard types them, with a space.
        typed = code_for(device).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        response = client.post(ENROL, {"code": typed[:3] + " " + typed[3:], "next": "/ar/admin/"})
        assert response.status_code == 302
        assert path_of(response) == "/ar/admin/account/two-factor/recovery-codes/"
        page = client.get(response["Location"]).content.decode()
        tokens = list(
            StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
        )
        assert len(tokens) == 10
        for token in tokens:
            assert f"{token[:4]}-{token[4:]}" in page
        # Shown once: the page does not show them again.
        again = client.get("/ar/admin/account/two-factor/recovery-codes/")
        assert again.status_code == 302
        assert client.get("/ar/admin/").status_code == 200
        session = DeskSession.objects.get(user=editor)
        assert session.verified_with == "totp"

    def test_enrolled_account_cannot_replace_its_phone_with_the_password_alone(
        self, client, editor
    ):
        device, _codes = enrol(editor)
        sign_in(client, "editor")
        response = client.get(ENROL)
        assert path_of(response) == VERIFY
        response = client.post(ENROL, {"code": "123456"})
        assert path_of(response) == VERIFY
        assert TOTPDevice.objects.filter(user=editor).count() == 1
        assert TOTPDevice.objects.get(user=editor).key == device.key

    def test_enrolment_elsewhere_is_seen_by_a_session_opened_before(self, client, editor):
        """The session remembers "not enrolled" from its sign-in; the enrolment page asks the
        database, so a password-only session cannot replace a phone set up meanwhile."""
        sign_in(client, "editor")
        enrol(editor)
        assert path_of(client.get(ENROL)) == VERIFY
        assert TOTPDevice.objects.filter(user=editor).count() == 1


class TestSignIn:
    def test_code_is_asked_after_the_password(self, client, editor):
        device, _codes = enrol(editor)
        response = sign_in(client, "editor")
        assert response.status_code == 302
        response = client.get("/ar/admin/articles/article/")
        assert path_of(response) == VERIFY
        page = client.get(response["Location"])
        assert "رمز الدخول" in page.content.decode()
        response = client.post(response["Location"], {"code": code_for(device, steps_ahead=1)})
        assert response.status_code == 302
        assert response["Location"] == "/ar/admin/articles/article/"
        assert client.get("/ar/admin/articles/article/").status_code == 200

    def test_recovery_code_works_once(self, client, editor):
        _device, codes = enrol(editor)
        sign_in(client, "editor")
        response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
        assert response.status_code == 302
        assert twofactor.recovery_codes_left(editor) == 9
        follow = client.get("/ar/admin/")
        assert follow.status_code == 200
        assert "رمز استرداد" in follow.content.decode()  # the warning: it will not work again
        assert DeskSession.objects.get(user=editor, ended_at=None).verified_with == "static"
        # The same code in another browser: refused.
        other = Client()
        sign_in(other, "editor")
        response = other.post(VERIFY, {"code": codes[0]})
        assert response.status_code == 200
        assert "الرمز خاطئ" in response.content.decode()
        assert path_of(other.get("/ar/admin/")) == VERIFY

    def test_app_code_is_good_once(self, client, editor):
        device, _codes = enrol(editor)
        code = code_for(device, steps_ahead=1)
        sign_in(client, "editor")
        assert client.post(VERIFY, {"code": code}).status_code == 302
        other = Client()
        sign_in(other, "editor")
        response = other.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "استُخدم هذا الرمز من قبل" in response.content.decode()
        assert path_of(other.get("/ar/admin/")) == VERIFY

    @pytest.mark.parametrize(
        "typed", ["", "12", "abc", "1234567890123", "<script>", "١٢٣", "x" * 40, "x" * 500]
    )
    def test_bad_input_gets_an_arabic_message_never_a_500(self, client, editor, typed):
        enrol(editor)
        sign_in(client, "editor")
        response = client.post(VERIFY, {"code": typed})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="errornote"' in html
        assert any(
            message in html
            for message in ("اكتب الرمز", "اكتب الأرقام الستة", "الرمز خاطئ", "40 محرفًا")
        ), html
        assert "<script>" not in html.split('name="code"')[1][:200]

    def test_open_redirect_is_refused(self, client, editor):
        device, _codes = enrol(editor)
        sign_in(client, "editor")
        response = client.post(
            VERIFY + "?next=https://evil.example/", {"code": code_for(device, steps_ahead=1)}
        )
        assert response["Location"] == "/ar/admin/"


class TestThrottling:
    def test_wrong_codes_lock_out_through_axes_and_are_logged(
        self, settings, client, editor, caplog
    ):
        settings.AXES_FAILURE_LIMIT = 3
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the lockout alone, without the back-off
        device, _codes = enrol(editor)
        wrong = f"{(int(code_for(device, steps_ahead=1)) + 7) % 1_000_000:06d}"
        caplog.set_level("INFO", logger="newsroom.audit")
        sign_in(client, "editor")
        for _attempt in range(2):
            assert client.post(VERIFY, {"code": wrong}).status_code == 200
        # A right password again does not reset the code count.
        sign_in(client, "editor")
        locked = client.post(VERIFY, {"code": wrong})
        assert locked.status_code == 429
        assert "محاولات" in locked.content.decode()
        # Locked: even the right code is refused, and the desk stays closed.
        right = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        assert right.status_code == 429
        assert path_of(client.get("/ar/admin/")) == VERIFY
        attempt = AccessAttempt.objects.get(username="editor#2fa")
        assert attempt.failures_since_start == 3
        failures = [r for r in caplog.records if getattr(r, "event", "") == "second_factor_failed"]
        assert len(failures) == 3
        assert {r.username for r in failures} == {"editor"}
        assert all(r.levelno == logging.WARNING for r in failures)
        # The reset command clears the lockout with the factor.
        call_command("reset_two_factor", "editor", verbosity=0)
        assert not AccessAttempt.objects.filter(username="editor#2fa").exists()

    def test_typos_are_not_counted_as_guesses(self, settings, client, editor):
        settings.AXES_FAILURE_LIMIT = 2
        enrol(editor)
        sign_in(client, "editor")
        for typed in ("12", "abc", "1234567"):
            response = client.post(VERIFY, {"code": typed})
            assert response.status_code == 200
            assert "اكتب الأرقام الستة" in response.content.decode()
        assert not AccessAttempt.objects.filter(username="editor#2fa").exists()

    def test_wrong_code_makes_the_next_try_wait(self, client, editor):
        device, _codes = enrol(editor)
        sign_in(client, "editor")
        wrong = f"{(int(code_for(device, steps_ahead=1)) + 3) % 1_000_000:06d}"
        client.post(VERIFY, {"code": wrong})
        response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        assert response.status_code == 200
        assert "انتظر" in response.content.decode()
        assert path_of(client.get("/ar/admin/")) == VERIFY

    @pytest.mark.parametrize(
        ("seconds", "said"),
        [(1, "ثانية واحدة"), (2, "ثانيتين"), (5, "5 ثوانٍ"), (12, "12 ثانيةً"), (100, "100 ثانية")],
    )
    def test_the_wait_is_said_with_arabic_plural_forms(self, seconds, said):
        """Arabic has six plural forms: «انتظر 2 ثانية» was wrong for two, three to ten."""
        from datetime import timedelta
        from types import SimpleNamespace

        from django.utils import timezone, translation

        check = SimpleNamespace(wait_until=timezone.now() + timedelta(seconds=seconds - 0.5))
        with translation.override("ar"):
            assert f"انتظر {said} قبل" in twofactor.wait_message(check)


class TestResetCommand:
    def test_reset_removes_the_factor_ends_sessions_and_is_logged(self, client, editor, caplog):
        device, _codes = enrol(editor)
        sign_in(client, "editor")
        client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        assert client.get("/ar/admin/").status_code == 200
        caplog.set_level("INFO", logger="newsroom.audit")
        call_command("reset_two_factor", "editor", verbosity=0)
        assert not TOTPDevice.objects.filter(user=editor).exists()
        assert twofactor.recovery_codes_left(editor) == 0
        assert not DeskSession.objects.active().filter(user=editor).exists()
        # The browser is signed out; signing in again leads to a new enrolment.
        assert "/login/" in client.get("/ar/admin/")["Location"]
        sign_in(client, "editor")
        assert path_of(client.get("/ar/admin/")) == ENROL
        events = [r for r in caplog.records if getattr(r, "event", "") == "second_factor_reset"]
        assert len(events) == 1
        assert events[0].username == "editor" and "reset_two_factor" in events[0].via

    def test_dry_run_changes_nothing(self, editor, capsys):
        enrol(editor)
        call_command("reset_two_factor", "editor", "--dry-run")
        assert twofactor.is_enrolled(editor)
        assert twofactor.recovery_codes_left(editor) == 10
        assert "لم يتغيّر شيء" in capsys.readouterr().out

    def test_unknown_account_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="لا يوجد حساب"):
            call_command("reset_two_factor", "nobody")

    def test_status_command_says_how_to_enrol(self, editor, capsys):
        call_command("two_factor_status", "editor")
        out = capsys.readouterr().out
        assert "/ar/admin/account/two-factor/set-up/" in out
        enrol(editor)
        call_command("two_factor_status", "editor")
        assert "reset_two_factor editor" in capsys.readouterr().out


def test_admin_can_reset_from_the_desk(client, editor, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", PASSWORD)
    device, _codes = enrol(boss)
    enrol(editor)
    sign_in(client, "boss")
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [editor.pk]},
    )
    assert response.status_code == 302
    assert not twofactor.is_enrolled(editor)
    assert twofactor.is_enrolled(boss)


def test_moderator_is_not_required(client, db):
    make_staff("مشرفو التعليقات", username="moderator")
    sign_in(client, "moderator")
    assert client.get("/ar/admin/").status_code == 200


def test_device_permissions_are_named_in_arabic(db):
    from django.contrib.auth.models import Permission

    from accounts.access import permission_label

    label = permission_label(Permission.objects.get(codename="add_totpdevice"))
    assert label == "تطبيقات المصادقة | تطبيق مصادقة | إضافة تطبيق مصادقة"
    label = permission_label(Permission.objects.get(codename="delete_statictoken"))
    assert label.startswith("رموز الاسترداد | رمز استرداد | ")


class TestTurningOff:
    def test_writer_who_opted_in_may_turn_it_off(self, client, writer):
        device, _codes = enrol(writer)
        sign_in(client, "writer")
        client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        response = client.post(reverse("desk_account:turn_off"), follow=True)
        assert "التحقق بخطوتين غير مفعّل لحسابك" in response.content.decode()
        assert not twofactor.is_enrolled(writer)
        assert twofactor.recovery_codes_left(writer) == 0
        other = Client()
        sign_in(other, "writer")
        assert other.get("/ar/admin/").status_code == 200  # the password is enough again

    def test_editor_cannot_turn_it_off(self, client, editor):
        device, _codes = enrol(editor)
        sign_in(client, "editor")
        client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
        response = client.post(reverse("desk_account:turn_off"), follow=True)
        assert "لا يمكن إيقافه" in response.content.decode()
        assert twofactor.is_enrolled(editor)

    def test_turning_off_takes_the_second_factor(self, client, writer):
        enrol(writer)
        sign_in(client, "writer")
        response = client.post(reverse("desk_account:turn_off"))
        assert path_of(response) == VERIFY  # the gate: a password-only session cannot
        assert twofactor.is_enrolled(writer)
