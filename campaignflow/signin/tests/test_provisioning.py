"""provision(identity): one account per person, made at the first sign-in, refreshed and role-mapped at each."""

import pytest

from campaignflow.accounts.models import Role, User
from campaignflow.core.models import AuditEntry
from campaignflow.signin.domain.identity import Identity
from campaignflow.signin.errors import SignInRefused
from campaignflow.signin.models import ExternalIdentity
from campaignflow.signin.provisioning import provision
from campaignflow.signin.tests.browsing import profile
from conftest import make_user

pytestmark = pytest.mark.django_db


def person(**fields) -> Identity:
    values = {
        "method": "ldap",
        "subject": "0b8e6f2a-0001",
        "username_hint": "zhangsan",
        "display_name": "张三",
        "email": "zhangsan@example.com",
        "email_verified": True,
        "department": "市场部",
        "groups": (),
    }
    return Identity(**{**values, **fields})


def actions(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_first_sign_in_creates_the_account_with_profile_and_link():
    user = provision(person())
    assert profile(user) == ("zhangsan", "张三", "zhangsan@example.com", "市场部", Role.MEMBER)
    assert user.is_active and not user.has_usable_password()
    link = ExternalIdentity.objects.get()
    assert (link.user, link.method, link.subject, link.email) == (user, "ldap", "0b8e6f2a-0001", "zhangsan@example.com")
    assert link.last_sign_in_at is not None
    assert actions(user) == ["create", "identity_link"]
    created = AuditEntry.objects.get(action="create", object_id=str(user.pk))
    assert "password" not in created.after and created.after["source"] == "ldap"


def test_second_sign_in_is_the_same_account_and_refreshes_the_profile():
    first = provision(person())
    again = provision(person(display_name="张三丰", email="zsf@example.com", department="销售部"))
    assert again.pk == first.pk and User.objects.count() == 1
    again.refresh_from_db()
    assert (again.display_name, again.email, again.department) == ("张三丰", "zsf@example.com", "销售部")
    update = AuditEntry.objects.get(action="update", object_id=str(first.pk))
    assert update.before == {"display_name": "张三", "email": "zhangsan@example.com", "department": "市场部"}


def test_empty_values_from_the_source_keep_what_the_account_has():
    user = provision(person())
    provision(person(display_name="", email="", department=""))
    user.refresh_from_db()
    assert (user.display_name, user.email, user.department) == ("张三", "zhangsan@example.com", "市场部")


def test_verified_email_joins_the_existing_account():
    existing = make_user("zs", email="ZhangSan@example.com")
    user = provision(person())
    assert user.pk == existing.pk and User.objects.count() == 1
    assert ExternalIdentity.objects.get().user == existing
    assert "identity_link" in actions(existing)


def test_unverified_email_never_joins_an_account():
    existing = make_user("zhangsan", email="zhangsan@example.com")
    user = provision(person(email_verified=False))
    assert user.pk != existing.pk
    assert user.username == "zhangsan-2"  # the hint made unique
    assert ExternalIdentity.objects.get().user == user


def test_email_of_an_inactive_account_is_not_joined():
    make_user("old", email="zhangsan@example.com", is_active=False)
    user = provision(person())
    assert user.username == "zhangsan" and user.is_active


def test_email_of_an_administrator_is_refused_and_nothing_written():
    make_user("root", Role.ADMIN, email="zhangsan@example.com")
    with pytest.raises(SignInRefused) as exc:
        provision(person())
    assert exc.value.reason == "admin_email_match"
    assert User.objects.count() == 1 and not ExternalIdentity.objects.exists()


def test_email_of_two_accounts_is_refused():
    make_user("a", email="zhangsan@example.com")
    make_user("b", email="zhangsan@example.com")
    with pytest.raises(SignInRefused) as exc:
        provision(person())
    assert exc.value.reason == "ambiguous_email"
    assert not ExternalIdentity.objects.exists()


def test_disabled_account_is_refused_in_chinese_and_nothing_changes():
    user = provision(person())
    User.objects.filter(pk=user.pk).update(is_active=False)
    before = AuditEntry.objects.count()
    with pytest.raises(SignInRefused) as exc:
        provision(person(display_name="新名字"))
    assert "停用" in exc.value.message
    user.refresh_from_db()
    assert user.display_name == "张三" and AuditEntry.objects.count() == before


def test_username_hint_is_cleaned_and_falls_back_to_the_email():
    assert provision(person(subject="a", username_hint="li si/x", email="")).username == "li-si-x"
    assert (
        provision(person(subject="b", username_hint="", email="wang.wu@example.com", email_verified=False)).username
        == "wang.wu"
    )
    assert provision(person(subject="c", username_hint="", email="")).username == "ldap-user"


def test_role_map_applies_at_creation_and_every_sign_in(settings):
    settings.SSO_ROLE_MAP = "finance=finance,marketing-directors=director"
    user = provision(person(groups=("finance", "staff")))
    assert user.role == Role.FINANCE
    provision(person(groups=("finance", "marketing-directors")))
    user.refresh_from_db()
    assert user.role == Role.DIRECTOR
    provision(person(groups=("staff",)))
    user.refresh_from_db()
    assert user.role == Role.MEMBER
    changes = AuditEntry.objects.filter(action="role_change", object_id=str(user.pk)).order_by("id")
    assert [(e.before["role"], e.after["role"]) for e in changes] == [("finance", "director"), ("director", "member")]
    assert changes[0].after["by"] == "SSO_ROLE_MAP" and changes[0].actor is None


def test_without_role_map_roles_are_left_alone(settings):
    settings.SSO_ROLE_MAP = ""
    existing = make_user("zs", Role.FINANCE, email="zhangsan@example.com")
    provision(person(groups=("nothing",)))
    existing.refresh_from_db()
    assert existing.role == Role.FINANCE


def test_a_source_without_groups_leaves_the_role(settings):
    settings.SSO_ROLE_MAP = "finance=finance"
    existing = make_user("zs", Role.FINANCE, email="zhangsan@example.com")
    provision(person(method="wecom", groups=(), maps_roles=False))
    existing.refresh_from_db()
    assert existing.role == Role.FINANCE


def test_superuser_is_never_demoted_by_the_map(settings):
    settings.SSO_ROLE_MAP = "finance=finance"
    admin = make_user("root", Role.ADMIN)
    ExternalIdentity.objects.create(user=admin, method="ldap", subject="0b8e6f2a-0001")
    provision(person(groups=()))
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_superuser
    assert not AuditEntry.objects.filter(action="role_change").exists()
