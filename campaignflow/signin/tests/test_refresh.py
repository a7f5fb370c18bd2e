"""A role taken away at the source is gone at the person's next request after SSO_ROLE_REFRESH_SECONDS, through
the session and through an API token; a person gone at the source is deactivated on that request. (The same with
a real directory: test_ldap.py.)"""

import pytest
from django.core.cache import cache

from campaignflow.accounts.models import Role, User
from campaignflow.core.models import AuditEntry
from campaignflow.signin.domain.identity import Identity
from campaignflow.signin.provisioning import provision
from conftest import ApiClient, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_person(settings, test_source):
    settings.SSO_ROLE_MAP = "finance=finance"
    settings.SSO_ROLE_REFRESH_SECONDS = 300
    identity = test_source.put(Identity(method="test-dir", subject="u-1", username_hint="qianfin", groups=("finance",)))
    user = provision(identity)
    assert user.role == Role.FINANCE
    return user


def test_role_removed_at_the_source_is_gone_at_the_next_request_after_the_period(finance_person, test_source):
    browser = logged_in(finance_person)
    assert browser.get("/api/v1/me").json()["role"] == "finance"
    test_source.put(Identity(method="test-dir", subject="u-1", username_hint="qianfin", groups=()))
    assert browser.get("/api/v1/me").json()["role"] == "finance"  # checked less than a period ago
    cache.clear()  # the period has passed
    assert browser.get("/api/v1/me").json()["role"] == "member"
    entry = AuditEntry.objects.get(action="role_change")
    assert (entry.before, entry.after["role"]) == ({"role": "finance"}, "member")


def test_the_source_is_read_at_most_once_per_period(finance_person, test_source):
    browser = logged_in(finance_person)
    reads = test_source.reads
    for _ in range(5):
        browser.get("/api/v1/me")
    assert test_source.reads == reads + 1


def test_role_removed_is_gone_for_an_api_token_too(finance_person, test_source):
    api = ApiClient(finance_person)
    assert api.get("/me").json()["role"] == "finance"
    test_source.put(Identity(method="test-dir", subject="u-1", username_hint="qianfin", groups=()))
    cache.clear()
    assert api.get("/me").json()["role"] == "member"


def test_person_gone_at_the_source_is_locked_out_at_the_next_request(finance_person, test_source):
    browser, api = logged_in(finance_person), ApiClient(finance_person)
    del test_source.people["u-1"]
    cache.clear()
    response = browser.get("/campaigns/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert api.get("/me").status_code == 401
    assert not User.objects.get(pk=finance_person.pk).is_active
    assert AuditEntry.objects.filter(action="deactivate").count() == 1


def test_refresh_off_with_zero_seconds(finance_person, test_source, settings):
    settings.SSO_ROLE_REFRESH_SECONDS = 0
    test_source.put(Identity(method="test-dir", subject="u-1", username_hint="qianfin", groups=()))
    assert logged_in(finance_person).get("/api/v1/me").json()["role"] == "finance"


def test_local_accounts_are_not_read_anywhere(users, test_source):
    browser = logged_in(users["finance"])
    reads = test_source.reads
    assert browser.get("/api/v1/me").json()["role"] == "finance"
    assert test_source.reads == reads
