"""Settings checked at start-up (a bad SSO_ROLE_MAP stops it, naming the entry), and linking identities by hand."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from campaignflow.accounts.models import User
from campaignflow.core.models import AuditEntry
from campaignflow.signin.domain.identity import Identity
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.provisioning import provision
from tests.support.processes import ROOT


def manage_check(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_role_map_stops_the_start_naming_the_entry():
    result = manage_check(SSO_ROLE_MAP="finance=finance,marketing-directors=boss")
    assert result.returncode != 0
    assert "'marketing-directors=boss'" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_a_bad_password_login_mode_stops_the_start():
    result = manage_check(PASSWORD_LOGIN="nobody")
    assert result.returncode != 0 and "PASSWORD_LOGIN" in result.stderr


def test_a_good_role_map_starts():
    assert manage_check(SSO_ROLE_MAP="finance=finance,marketing-directors=director").returncode == 0


@pytest.mark.django_db
def test_link_identity_command_makes_the_next_sign_in_use_that_account(users):
    call_command("link_identity", "member1", "ldap", "uuid-7")
    assert ExternalIdentity.objects.get().user == users["member"]
    user = provision(Identity(method="ldap", subject="uuid-7", username_hint="someone-else"))
    assert user.pk == users["member"].pk and User.objects.filter(username="someone-else").count() == 0
    entry = AuditEntry.objects.get(action="identity_link")
    assert entry.after == {"method": "ldap", "subject": "uuid-7", "by": "admin"}


@pytest.mark.django_db
def test_link_identity_refuses_an_identity_of_another_account_and_unknown_users(users):
    call_command("link_identity", "member1", "ldap", "uuid-7")
    with pytest.raises(CommandError, match="member1"):
        call_command("link_identity", "viewer1", "ldap", "uuid-7")
    with pytest.raises(CommandError, match="nobody"):
        call_command("link_identity", "nobody", "ldap", "uuid-8")
    call_command("link_identity", "member1", "ldap", "uuid-7", "--unlink")
    assert not ExternalIdentity.objects.exists()
    assert AuditEntry.objects.filter(action="identity_unlink").count() == 1


@pytest.mark.django_db
def test_admin_lists_and_adds_identities(users):
    from conftest import logged_in

    admin = logged_in(users["admin"])
    assert admin.get("/admin/signin/externalidentity/").status_code == 200
    response = admin.post(
        "/admin/signin/externalidentity/add/",
        {"user": users["member"].pk, "method": "oidc", "subject": "sub-42", "email": ""},
    )
    assert response.status_code == 302
    assert ExternalIdentity.objects.get().user == users["member"]
    assert AuditEntry.objects.filter(action="admin_create", object_type="signin.externalidentity").exists()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LDAP_URI": "http://dc1"}, "LDAP_URI"),
        ({"LDAP_URI": "ldap://dc1"}, "LDAP_USER_SEARCH_BASE"),
        (
            {"LDAP_URI": "ldap://dc1", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_USER_FILTER": "(uid=%(username)s)"},
            "LDAP_USER_FILTER",
        ),
        (
            {"LDAP_URI": "ldap://dc1", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_USER_FILTER": "uid=%(user)s"},
            "LDAP_USER_FILTER",
        ),
        (
            {"LDAP_URI": "ldap://dc1", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_CA_FILE": "/nonexistent.pem"},
            "LDAP_CA_FILE",
        ),
    ],
)
def test_bad_ldap_settings_stop_the_start(env, named):
    result = manage_check(**env)
    assert result.returncode != 0 and named in result.stderr


def test_the_directory_sync_is_a_scheduled_job(settings):
    from campaignflow.core.scheduler import JOBS

    job = JOBS["signin.ldap_sync"]
    assert job.every == settings.LDAP_SYNC_MINUTES * 60
    settings.LDAP_URI = ""
    assert job.fn() == "LDAP is not configured"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"OIDC_ISSUER": "idp.example.com"}, "OIDC_ISSUER"),
        ({"OIDC_ISSUER": "https://idp.example.com", "OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID"),
        ({"OIDC_CLIENT_ID": "campaignflow"}, "OIDC_ISSUER"),
        ({"DINGTALK_APP_KEY": "key", "DINGTALK_APP_SECRET": "s"}, "DINGTALK_CORP_ID"),
        ({"FEISHU_APP_ID": "cli_x"}, "FEISHU_APP_SECRET"),
        ({"WECOM_CORP_ID": "ww1", "WECOM_SECRET": "s"}, "WECOM_AGENT_ID"),
        ({"SSO_HTTP_TIMEOUT": 0}, "SSO_HTTP_TIMEOUT"),
        ({"CHAT_SYNC_MINUTES": 0}, "CHAT_SYNC_MINUTES"),
    ],
)
def test_half_configured_redirect_sign_ins_stop_the_start(settings, values, named):
    from django.core.exceptions import ImproperlyConfigured

    from campaignflow.signin.checks import check_redirect_sign_in_settings

    for name, value in values.items():
        setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        check_redirect_sign_in_settings()


def test_a_half_configured_chat_app_stops_the_start_process():
    result = manage_check(WECOM_CORP_ID="ww0123", WECOM_SECRET="s")
    assert result.returncode != 0 and "WECOM_AGENT_ID" in result.stderr
    assert manage_check(WECOM_CORP_ID="ww0123", WECOM_SECRET="s", WECOM_AGENT_ID="1000002").returncode == 0
