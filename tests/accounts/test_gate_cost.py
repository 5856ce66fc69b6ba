"""What the gate and the sessions list cost each desk request: no query of their own (whether
the account is enrolled is kept in its session), django-otp's one device lookup for a verified
session, and one "last seen" write a minute."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import code_for, enrol, sign_in

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    client.get(url)  # warm: anything done once per session is done
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return seen


def touching(queries, table):
    return [sql for sql in queries if f'"{table}' in sql]


def test_a_desk_page_without_a_second_factor_costs_no_extra_query(writer):
    client = Client()
    sign_in(client, "writer")
    queries = queries_of(client, "/ar/admin/")
    assert touching(queries, "otp_") == []
    assert touching(queries, "accounts_") == []


def test_a_verified_session_costs_one_device_lookup(editor):
    device, _codes = enrol(editor)
    client = Client()
    sign_in(client, "editor")
    client.post("/ar/admin/account/code/", {"code": code_for(device, steps_ahead=1)})
    queries = queries_of(client, "/ar/admin/")
    assert len(touching(queries, "otp_")) == 1
    assert touching(queries, "accounts_") == []


def test_last_seen_is_written_once_a_minute(writer):
    client = Client()
    sign_in(client, "writer")
    assert touching(queries_of(client, "/ar/admin/"), "accounts_") == []
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        client.get("/ar/admin/")  # this one writes last seen…
        assert touching(queries_of(client, "/ar/admin/"), "accounts_") == []  # …not this one
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=130)):
        with connection.execute_wrapper(record):
            client.get("/ar/admin/")
    assert len([sql for sql in touching(seen, "accounts_desksession") if "UPDATE" in sql]) == 1
