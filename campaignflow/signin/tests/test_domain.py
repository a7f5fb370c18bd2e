"""The pure parts: SSO_ROLE_MAP's format and precedence, and which `next` values a sign-in follows."""

import pytest

from campaignflow.signin.domain.identity import Identity
from campaignflow.signin.domain.next_url import safe_next
from campaignflow.signin.domain.role_map import parse_role_map, role_for


def test_role_map_parses_the_documented_example():
    assert parse_role_map("finance=finance,marketing-directors=director") == {
        "finance": "finance",
        "marketing-directors": "director",
    }


def test_role_map_empty_is_no_mapping():
    assert parse_role_map("") == {}
    assert parse_role_map("  ") == {}


def test_role_map_keys_are_case_and_space_insensitive_and_chinese_works():
    mapping = parse_role_map(" Finance = FINANCE , 市场部 总监=director,")
    assert mapping == {"finance": "finance", "市场部 总监": "director"}
    assert role_for(["FINANCE"], mapping) == "finance"
    assert role_for([], mapping, department="市场部  总监") == "director"


def test_role_map_with_dns_uses_semicolons_and_the_last_equals_sign():
    mapping = parse_role_map(
        "cn=finance,ou=groups,dc=example,dc=com=finance; cn=Directors,ou=groups,dc=example,dc=com=director"
    )
    assert mapping["cn=finance,ou=groups,dc=example,dc=com"] == "finance"
    assert role_for(["CN=Directors,OU=Groups,DC=example,DC=com"], mapping) == "director"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("finance=finance,marketing", "'marketing'"),
        ("finance=boss", "'finance=boss'"),
        ("=director", "'=director'"),
        ("finance=finance,finance=director", "'finance=director'"),
    ],
)
def test_role_map_bad_entry_is_named(text, named):
    with pytest.raises(ValueError) as exc:
        parse_role_map(text)
    assert named in str(exc.value)
    assert "SSO_ROLE_MAP" in str(exc.value)


def test_highest_mapped_role_wins_and_none_mapped_is_member():
    mapping = parse_role_map("finance=finance,marketing-directors=director,it=admin,staff=member")
    assert role_for(["staff", "finance", "marketing-directors"], mapping) == "director"
    assert role_for(["finance", "staff"], mapping) == "finance"
    assert role_for(["it", "finance"], mapping) == "admin"
    assert role_for(["sales"], mapping) == "member"
    assert role_for([], mapping) == "member"


def test_identity_needs_method_and_subject_and_keeps_groups_a_tuple():
    with pytest.raises(ValueError):
        Identity(method="ldap", subject="")
    assert Identity(method="ldap", subject="x", groups=["a", "b"]).groups == ("a", "b")


@pytest.mark.parametrize("value", ["/", "/campaigns/", "/campaigns/3/?tab=plan&x=1", "/%2F%2Fevil.com"])
def test_next_allows_own_paths(value):
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "//evil.com",
        "https://evil.com",
        "http://testserver.evil.com/",
        "/\\evil.com",
        "\\\\evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "evil.com",
        "javascript:alert(1)",
        " /campaigns/",
        "/" + "a" * 2001,
    ],
)
def test_next_refuses_other_sites(value):
    assert safe_next(value) is None


# --- directory entries (domain.ldap_entry) ---------------------------------------------------------------------


def test_entry_disabled_by_ad_flag_or_ppolicy_lock():
    from campaignflow.signin.domain.ldap_entry import is_disabled

    assert not is_disabled({"userAccountControl": [b"512"]})
    assert is_disabled({"userAccountControl": [b"514"]})
    assert is_disabled({"useraccountcontrol": [b"66050"]})  # names compared case-insensitively
    assert is_disabled({"pwdAccountLockedTime": [b"000001010000Z"]})
    assert not is_disabled({"userAccountControl": [b"garbage"]})
    assert not is_disabled({})


def test_entry_subject_is_the_uuid_else_the_dn():
    import uuid

    from campaignflow.signin.domain.ldap_entry import guid_filter_value, subject_of

    guid = uuid.uuid4()
    assert subject_of("cn=x", {"objectGUID": [guid.bytes_le]}, "objectGUID") == str(guid)
    assert guid_filter_value(str(guid)) == guid.bytes_le
    assert subject_of("uid=a,dc=x", {"entryUUID": [b"F416C314-84E8-1041-8388-89BD8713A93A"]}, "entryUUID") == (
        "f416c314-84e8-1041-8388-89bd8713a93a"
    )
    assert subject_of("uid=a,dc=x", {}, "entryUUID") == "dn:uid=a,dc=x"


def test_entry_groups_are_names_and_dns_and_alternatives_pick_the_first_present():
    from campaignflow.signin.domain.ldap_entry import EntryAttributes, identity_of, rdn_value

    assert rdn_value(r"cn=Sales\, East,ou=groups,dc=x") == "Sales, East"
    identity = identity_of(
        method="ldap",
        dn="cn=周七,ou=staff,dc=x",
        attrs={
            "sAMAccountName": [b"adzhou"],
            "cn": ["周七".encode()],
            "department": [b"Finance"],
            "memberOf": [b"cn=finance,ou=groups,dc=x"],
        },
        names=EntryAttributes(),
        group_dns=["cn=all,ou=groups,dc=x"],
    )
    assert (identity.username_hint, identity.display_name, identity.department) == ("adzhou", "周七", "Finance")
    assert identity.groups == ("finance", "cn=finance,ou=groups,dc=x", "all", "cn=all,ou=groups,dc=x")
    assert identity.subject == "dn:cn=周七,ou=staff,dc=x" and identity.email_verified


def test_a_management_group_maps_to_the_read_only_role_and_an_approvers_group_outranks_it():
    mapping = parse_role_map("管理层=management,财务部=finance")
    assert role_for(["管理层"], mapping) == "management"
    assert role_for(["管理层", "财务部"], mapping) == "finance"
    assert role_for([], mapping, department="管理层") == "management"
