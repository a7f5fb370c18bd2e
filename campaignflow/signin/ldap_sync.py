"""Leavers from the company directory: `sync_ldap()` re-reads every person who signed in through LDAP; an entry
gone, disabled (AD userAccountControl bit 2; OpenLDAP pwdAccountLockedTime) or no longer matching LDAP_USER_FILTER
→ deactivated (sessions ended, API and calendar-feed tokens revoked); group changes → role re-mapped.

Run by the scheduler every LDAP_SYNC_MINUTES (60) and by `manage.py sync_directory`."""

from __future__ import annotations

from . import ldap_directory
from .sync import sync_method


def sync_ldap() -> str:
    method = ldap_directory.ldap_method()
    if method is None:
        return "LDAP is not configured"
    return str(sync_method(method))
