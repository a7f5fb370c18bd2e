"""LDAP / Active Directory sign-in against a REAL OpenLDAP slapd (tests/support/slapd.py), through the login form.

Skipped with a plain reason where slapd is not installed; under CI they fail instead."""

import pytest
from django.core.management import call_command
from django.test import Client

from campaignflow.accounts.models import Role, User
from campaignflow.core.models import AuditEntry
from campaignflow.signin import ldap_directory
from campaignflow.signin.ldap_sync import sync_ldap
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.tests.browsing import browser, profile, signed_in
from conftest import PASSWORD, ApiClient, make_user
from tests.support.slapd import GROUPS, PEOPLE, STAFF, Person

pytestmark = pytest.mark.django_db

UNAVAILABLE = "目录服务暂时无法连接"


def log_in(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_first_sign_in_through_the_form_creates_the_account(directory):
    client = browser()
    response = log_in(client, "zhangsan", "Zs-pass-2025")
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    user = signed_in(client)
    assert profile(user) == ("zhangsan", "张三", "zhangsan@example.com", "市场部", Role.MEMBER)
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert (link.method, link.subject) == ("ldap", directory.entry_uuid("zhangsan"))
    assert AuditEntry.objects.get(action="sign_in").after["method"] == "ldap"
    assert client.get("/campaigns/").status_code == 200


def test_the_methods_api_lists_the_directory(directory, client):
    kinds = [(m["id"], m["kind"], m["login_url"]) for m in client.get("/api/v1/auth/methods").json()]
    assert kinds == [("ldap", "ldap", "/login/"), ("password", "password", "/login/")]
    page = browser().get("/login/").content.decode()
    assert "公司账号" in page and "与登录电脑相同的用户名和密码" in page


def test_groups_map_to_roles_and_a_second_sign_in_updates(directory, settings):
    settings.SSO_ROLE_MAP = "finance=finance,marketing-directors=director"
    client = browser()
    log_in(client, "wangwu", "Ww-pass-2025")
    user = signed_in(client)
    assert user.role == Role.DIRECTOR  # finance and marketing-directors: the higher one
    log_in(browser(), "lisi", "Ls-pass-2025")
    assert User.objects.get(username="lisi").role == Role.FINANCE

    import ldap3

    directory.remove_from_group("wangwu", "marketing-directors")
    directory.modify(directory.person("wangwu").dn, {"displayName": [(ldap3.MODIFY_REPLACE, ["王五五"])]})
    log_in(browser(), "wangwu", "Ww-pass-2025")
    user.refresh_from_db()
    assert (user.role, user.display_name) == (Role.FINANCE, "王五五")
    assert User.objects.filter(username__startswith="wangwu").count() == 1
    change = AuditEntry.objects.filter(action="role_change", object_id=str(user.pk)).latest("id")
    assert (change.before, change.after["role"]) == ({"role": "director"}, "finance")


def test_group_dn_keys_work_in_the_role_map(directory, settings):
    settings.SSO_ROLE_MAP = f"cn=finance,{GROUPS}=finance;"  # DN keys: entries end with ";"
    log_in(browser(), "lisi", "Ls-pass-2025")
    assert User.objects.get(username="lisi").role == Role.FINANCE


def test_password_changed_in_the_directory(directory):
    log_in(browser(), "zhaoliu", "Zl-pass-2025")
    directory.set_password("zhaoliu", "Zl-new-pass-2026")
    old = browser()
    response = log_in(old, "zhaoliu", "Zl-pass-2025")
    assert response.status_code == 200 and signed_in(old) is None
    new = browser()
    assert log_in(new, "zhaoliu", "Zl-new-pass-2026").status_code == 302
    assert signed_in(new).username == "zhaoliu"
    assert User.objects.filter(username__startswith="zhaoliu").count() == 1


def test_wrong_password_and_unknown_user_are_the_usual_error_and_audited(directory):
    for username, password, reason in (
        ("zhangsan", "nope-Pass-1", "bad_credentials"),
        ("nobody", "x-Pass-1", "unknown_user"),
    ):
        response = log_in(browser(), username, password)
        page = response.content.decode()
        assert response.status_code == 200 and "form-error" in page and UNAVAILABLE not in page
        entry = AuditEntry.objects.filter(action="sign_in_failed").latest("id")
        assert f"ldap:{reason}" in entry.after["reason"] and entry.after["username"] == username
        assert password not in str(entry.after)
    assert not User.objects.filter(username__in=["zhangsan", "nobody"]).exists()


def test_empty_password_is_never_an_anonymous_bind(directory):
    assert ldap_directory.authenticate("zhangsan", "") == (None, "bad_credentials")
    response = log_in(browser(), "zhangsan", "")
    assert response.status_code == 200 and not User.objects.filter(username="zhangsan").exists()


@pytest.mark.parametrize(
    "typed", ["*", "*)(uid=*", "admin)(|(uid=*", "zhang*", "*)(|(objectClass=*", "zhangsan)(uid=*"]
)
def test_filter_injection_finds_nobody(directory, typed):
    assert ldap_directory.user_filter(typed).count("(") == 1  # the filter keeps its one clause
    # the right password of someone the injected filter would have matched
    for password in ("Zs-pass-2025", "Ad-pass-2025"):
        client = browser()
        log_in(client, typed, password)
        assert signed_in(client) is None
    assert not ExternalIdentity.objects.exists()


def test_directory_down_shows_its_own_message_and_is_audited(directory, slapd_server):
    slapd_server.stop()
    try:
        response = log_in(browser(), "zhangsan", "Zs-pass-2025")
        assert response.status_code == 200
        assert UNAVAILABLE in response.content.decode()
        entry = AuditEntry.objects.get(action="sign_in_failed")
        assert "ldap:directory_unavailable" in entry.after["reason"]
        # the break-glass administrator's local password still works
        make_user("root", Role.ADMIN)
        assert log_in(browser(), "root", PASSWORD).status_code == 302
    finally:
        slapd_server.start()


def test_directory_down_answers_within_the_timeout(directory, slapd_server, settings):
    import time

    settings.LDAP_URI = "ldap://127.0.0.1:9"  # nothing listens: refused at once
    started = time.monotonic()
    assert UNAVAILABLE in log_in(browser(), "zhangsan", "Zs-pass-2025").content.decode()
    assert time.monotonic() - started < settings.LDAP_TIMEOUT + 1


def test_failed_directory_attempts_lock_out(directory, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = browser()
    for _ in range(3):
        log_in(client, "zhangsan", "wrong-Pass-1")
    response = log_in(client, "zhangsan", "Zs-pass-2025")  # the right password, too late
    assert signed_in(client) is None and response.status_code in (403, 429)
    assert not User.objects.filter(username="zhangsan").exists()


def test_locked_entry_is_refused(directory):
    import ldap3

    directory.modify(
        directory.person("zhangsan").dn, {"pwdAccountLockedTime": [(ldap3.MODIFY_REPLACE, ["000001010000Z"])]}
    )
    client = browser()
    log_in(client, "zhangsan", "Zs-pass-2025")
    assert signed_in(client) is None
    assert "ldap:disabled_at_source" in AuditEntry.objects.get(action="sign_in_failed").after["reason"]


def test_account_disabled_here_is_refused_with_the_message(directory):
    log_in(browser(), "zhangsan", "Zs-pass-2025")
    User.objects.filter(username="zhangsan").update(is_active=False)
    client = browser()
    response = log_in(client, "zhangsan", "Zs-pass-2025")
    assert signed_in(client) is None and "此账号已停用" in response.content.decode()


def test_existing_local_account_with_the_same_email_is_joined(directory):
    local = make_user("zs-local", email="zhangsan@example.com")
    client = browser()
    log_in(client, "zhangsan", "Zs-pass-2025")
    assert signed_in(client) == local
    assert ExternalIdentity.objects.get().user == local


def test_untrusted_directory_email_makes_a_separate_account(directory, settings):
    settings.LDAP_TRUST_EMAIL = False
    local = make_user("zhangsan", email="zhangsan@example.com")
    client = browser()
    log_in(client, "zhangsan", "Zs-pass-2025")
    assert signed_in(client) != local and signed_in(client).username == "zhangsan-2"


def test_removed_user_is_disabled_by_the_sync_sessions_end_and_token_answers_401(directory):
    client = browser()
    log_in(client, "zhaoliu", "Zl-pass-2025")
    user = signed_in(client)
    api = ApiClient(user)
    assert api.get("/me").status_code == 200
    log_in(browser(), "zhangsan", "Zs-pass-2025")

    directory.delete("zhaoliu")
    result = sync_ldap()

    assert "1 deactivated (zhaoliu)" in result and "2 checked" in result
    user.refresh_from_db()
    assert not user.is_active
    assert api.get("/me").status_code == 401
    response = client.get("/campaigns/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert User.objects.get(username="zhangsan").is_active
    entry = AuditEntry.objects.get(action="deactivate")
    assert entry.after["source"] == "ldap" and entry.after["api_tokens"] == 1 and entry.after["sessions"] == 1
    # and the person cannot come back in while the entry is gone
    again = browser()
    log_in(again, "zhaoliu", "Zl-pass-2025")
    assert signed_in(again) is None


def test_sync_command_disables_locked_entries_and_remaps_groups(directory, settings):
    import ldap3

    settings.SSO_ROLE_MAP = "finance=finance"
    log_in(browser(), "lisi", "Ls-pass-2025")
    log_in(browser(), "zhangsan", "Zs-pass-2025")
    directory.remove_from_group("lisi", "finance")
    directory.modify(
        directory.person("zhangsan").dn, {"pwdAccountLockedTime": [(ldap3.MODIFY_REPLACE, ["000001010000Z"])]}
    )
    from io import StringIO

    out = StringIO()
    call_command("sync_directory", stdout=out)
    assert "deactivated (zhangsan)" in out.getvalue()
    assert not User.objects.get(username="zhangsan").is_active
    lisi = User.objects.get(username="lisi")
    assert lisi.is_active and lisi.role == Role.MEMBER


def test_sync_refuses_when_everybody_seems_gone(directory, settings):
    for uid, password in (
        ("zhangsan", "Zs-pass-2025"),
        ("lisi", "Ls-pass-2025"),
        ("wangwu", "Ww-pass-2025"),
        ("zhaoliu", "Zl-pass-2025"),
    ):
        log_in(browser(), uid, password)
    settings.LDAP_USER_SEARCH_BASE = f"ou=staff,{PEOPLE.split(',', 1)[1]}"  # a wrong base: nobody there
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Nobody was deactivated"):
        call_command("sync_directory")
    assert User.objects.filter(is_active=True, username__in=["zhangsan", "lisi", "wangwu", "zhaoliu"]).count() == 4


def test_sync_with_the_directory_down_changes_nothing(directory, slapd_server):
    log_in(browser(), "zhangsan", "Zs-pass-2025")
    slapd_server.stop()
    try:
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="cannot be reached"):
            call_command("sync_directory")
        assert User.objects.get(username="zhangsan").is_active
    finally:
        slapd_server.start()


def test_role_removed_in_the_directory_is_gone_at_the_next_request(directory, settings):
    from django.core.cache import cache

    settings.SSO_ROLE_MAP = "finance=finance"
    client = browser()
    log_in(client, "lisi", "Ls-pass-2025")
    api = ApiClient(signed_in(client))
    assert client.get("/api/v1/me").json()["role"] == "finance"
    directory.remove_from_group("lisi", "finance")
    assert client.get("/api/v1/me").json()["role"] == "finance"  # within SSO_ROLE_REFRESH_SECONDS
    cache.clear()  # the period has passed
    assert api.get("/me").json()["role"] == "member"
    assert client.get("/api/v1/me").json()["role"] == "member"


def test_deleted_entry_is_locked_out_at_the_next_request_too(directory):
    from django.core.cache import cache

    client = browser()
    log_in(client, "zhaoliu", "Zl-pass-2025")
    directory.delete("zhaoliu")
    cache.clear()
    assert client.get("/api/v1/me").status_code == 401
    assert not User.objects.get(username="zhaoliu").is_active


def test_starttls_with_the_fixture_certificate(directory, settings):
    settings.LDAP_START_TLS = True
    client = browser()
    assert log_in(client, "zhangsan", "Zs-pass-2025").status_code == 302
    assert signed_in(client).username == "zhangsan"


def test_ldaps(directory, slapd_server, settings):
    settings.LDAP_URI = slapd_server.ldaps_uri
    client = browser()
    log_in(client, "zhangsan", "Zs-pass-2025")
    assert signed_in(client).username == "zhangsan"


def test_tls_with_an_untrusted_certificate_is_refused_as_unavailable(directory, settings, tmp_path):
    from tests.support.slapd import _self_signed

    other_ca, _key = _self_signed(tmp_path)  # a certificate that did not sign the server's
    settings.LDAP_START_TLS = True
    settings.LDAP_CA_FILE = str(other_ca)
    response = log_in(browser(), "zhangsan", "Zs-pass-2025")
    assert UNAVAILABLE in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_active_directory_style_entries(directory, settings):
    """sAMAccountName filter, department attribute, binary objectGUID as the subject, userAccountControl bit 2."""
    settings.LDAP_USER_SEARCH_BASE = STAFF
    settings.LDAP_USER_FILTER = "(&(objectClass=adLikeUser)(sAMAccountName=%(user)s))"
    settings.LDAP_ATTR_UUID = "objectGUID"
    settings.SSO_ROLE_MAP = "finance=finance"
    client = browser()
    log_in(client, "adzhou", "Az-pass-2025")
    user = signed_in(client)
    assert profile(user) == ("adzhou", "周七", "zhouqi@example.com", "Finance Dept", Role.FINANCE)
    assert ExternalIdentity.objects.get(user=user).subject == str(directory.guids["adzhou"])

    import ldap3

    dn = Person("adzhou", "", "周七", ad_like=True).dn
    directory.modify(dn, {"userAccountControl": [(ldap3.MODIFY_REPLACE, ["514"])]})  # 512 + ACCOUNTDISABLE
    assert "1 deactivated (adzhou)" in sync_ldap()
    again = browser()
    log_in(again, "adzhou", "Az-pass-2025")
    assert signed_in(again) is None
