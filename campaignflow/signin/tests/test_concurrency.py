"""Two (or eight) first sign-ins of the same person at the same moment make ONE account: each thread, with its own
database connection, provisions together (a barrier releases them at once); the unique (method, subject) link and
the retry decide. SQLite (a file, IMMEDIATE transactions) and PostgreSQL (CI's second run)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from campaignflow.accounts.models import User
from campaignflow.core.models import AuditEntry
from campaignflow.signin.domain.identity import Identity
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.provisioning import provision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("threads", [2, 8])
def test_simultaneous_first_sign_ins_make_one_account(database_file, threads):
    barrier = threading.Barrier(threads)
    identity = Identity(
        method="ldap", subject="race-1", username_hint="racer", display_name="赛跑", email="r@example.com"
    )

    def one(_):
        try:
            barrier.wait(timeout=30)
            return provision(identity).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        ids = list(pool.map(one, range(threads)))
    assert len(set(ids)) == 1
    assert User.objects.filter(username__startswith="racer").count() == 1
    assert ExternalIdentity.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type="accounts.user").count() == 1
