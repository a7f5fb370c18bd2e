"""The one place that decides who may see and change a campaign.

`campaign_for_user` is called by every API endpoint and view that touches a campaign:
non-members get 404 (the campaign's existence is not revealed), members without the
needed right get 403.
"""

from __future__ import annotations

import functools
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from campaignflow.core import stamps
from campaignflow.core.api_types import MAX_ID
from campaignflow.core.errors import Forbidden
from campaignflow.core.joined_rows import Part, fetch_row, instances_from, select_list

from .models import Campaign, MemberRole, Membership, Playbook, PlaybookVersion

VIEW, EDIT, MANAGE = "view", "edit", "manage"

# What each campaign role may do. Partners see the campaign and only what is shared with
# them (filtered per object by the selectors); they never change the campaign itself.
RIGHTS = {
    MemberRole.OWNER: {VIEW, EDIT, MANAGE},
    MemberRole.MANAGER: {VIEW, EDIT, MANAGE},
    MemberRole.MEMBER: {VIEW, EDIT},
    MemberRole.VIEWER: {VIEW},
    MemberRole.PARTNER: {VIEW},
}


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or getattr(user, "role", "") == "admin"))


def is_read_only(user) -> bool:
    """Management (the global role "management"): reads dashboards and reports in the campaigns they belong to,
    never changes anything, whatever their role in a campaign (PRODUCT.md "Users")."""
    return bool(user and user.is_authenticated) and getattr(user, "role", "") == "management" and not is_admin(user)


def require_writer(user) -> None:
    """403 for a read-only (management) account, on a change outside any one campaign (a partner company, a
    playbook); inside a campaign `can` refuses it."""
    if is_read_only(user):
        raise Forbidden(read_only_refusal())


def read_only_refusal() -> str:
    return _("A management account reads dashboards and reports; it cannot change anything.")


def visible_campaigns(user, *, include_deleted: bool = False):
    qs = Campaign.objects.all() if include_deleted and is_admin(user) else Campaign.objects.alive()
    if is_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    return qs.filter(memberships__user=user)


def is_partner_user(user) -> bool:
    """Someone from a partner company rather than the team: a company's contact, or a partner member of
    any campaign (a deleted one too). They see only the people of their own campaigns (`visible_people`)."""
    if not user or not user.is_authenticated or is_admin(user):
        return False
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(memberships__role=MemberRole.PARTNER) | Q(partner_contact__isnull=False))
        .exists()
    )


def may_create_campaigns(user) -> bool:
    """Who may start a campaign (a new one, or one from a case) and so become its owner: the team. A partner
    user only sees and updates what the team's campaigns share with their company."""
    return bool(user and user.is_authenticated) and not is_partner_user(user) and not is_read_only(user)


def require_campaign_creator(user) -> None:
    """403 unless `may_create_campaigns(user)`: the one rule the API, the pages and the services apply."""
    if not may_create_campaigns(user):
        raise Forbidden(_("Partner contacts cannot create campaigns."))


def require_team_user(user, refusal: str | None = None) -> None:
    """403 for a partner user: what belongs to the team itself (its user directory, its playbooks) is not theirs
    to read; `refusal` says what was refused (the user directory's message by default)."""
    if is_partner_user(user):
        raise Forbidden(refusal or _("Partner contacts cannot look up the team's users."))


def require_playbook_reader(user) -> None:
    """Playbooks are the team's own methods, and serve only to start a campaign, which a partner user may not."""
    require_team_user(user, _("Playbooks are the team's own: partner contacts cannot open them."))


def visible_people(user):
    """The users a caller may look up and pick: everyone for the team; for a partner user the people of
    their own campaigns and themselves (show them without e-mails or global roles)."""
    people = get_user_model().objects.all()
    if not is_partner_user(user):
        return people
    members = Membership.objects.filter(campaign__in=visible_campaigns(user)).values("user_id")
    return people.filter(Q(pk=user.pk) | Q(pk__in=members))


def role_in(user, campaign: Campaign) -> str | None:
    """The user's campaign role; admins act as owners of every campaign."""
    if is_admin(user):
        return MemberRole.OWNER
    cached = getattr(campaign, "_role_cache", {})
    if user.pk in cached:
        return cached[user.pk]
    role = campaign.memberships.filter(user=user).values_list("role", flat=True).first()
    cached[user.pk] = role
    campaign._role_cache = cached
    return role


def is_partner(user, campaign: Campaign) -> bool:
    """Partners see only what the team shared with them; selectors filter on this."""
    return role_in(user, campaign) == MemberRole.PARTNER


def not_partner(user, campaign: Campaign, role) -> bool:
    """Tab visibility for the team-internal sections (`tabs.Tab(..., team_only=True)`)."""
    return role != MemberRole.PARTNER


def campaign_for_team(user, campaign_id, need: str = VIEW, *, message: str, archived_ok: bool = False) -> Campaign:
    """`campaign_for_user` for a section internal to the campaign team (execution records, alerts, the
    review): partners get 403 with `message`; everything else as for the campaign."""
    campaign = campaign_for_user(user, campaign_id, need, archived_ok=archived_ok)
    if role_in(user, campaign) == MemberRole.PARTNER:
        raise Forbidden(message)
    return campaign


def can(user, campaign: Campaign, need: str, *, archived_ok: bool = False) -> bool:
    """`archived_ok`: the action does not change the campaign itself (e.g. promoting its plan into a playbook)."""
    role = role_in(user, campaign)
    if need != VIEW and campaign.status == "archived" and not archived_ok:
        return False  # an archived campaign is a closed case: read-only for everyone
    if need != VIEW and is_read_only(user):
        return False
    return role is not None and need in RIGHTS.get(role, set())


def campaign_for_user(
    user, campaign_id, need: str = VIEW, *, include_deleted: bool = False, archived_ok: bool = False
) -> Campaign:
    campaign_id = valid_id(campaign_id)
    admin = is_admin(user)
    if not admin and not (user and user.is_authenticated):
        raise Http404
    sql = _campaign_sql(connection.vendor, admin, include_deleted and admin)
    row = _campaign_row(sql, [campaign_id] if admin else [user.pk, campaign_id], stamps.carried_stamp(user))
    if row is None:
        raise Http404
    campaign, (role, stamp) = instances_from(row, _CAMPAIGN_PARTS)
    if not admin:
        campaign._role_cache = {user.pk: role}
    stamps.carry(campaign, stamp)
    require(user, campaign, need, archived_ok=archived_ok)
    return campaign


# The lookup's rows this process read, by query: (the stamp of all they were read under, when, the row). An API
# request that reads a campaign its process read moments ago, with no change recorded anywhere since (the Bearer
# token's query brought the stamp of all), is answered from it instead of asking the database again: a cached
# read then costs the database one query, not two (docs/performance.md). The entries live ROW_SECONDS at most,
# which bounds what a stamp cannot see, as for the read cache: a write whose audit id commits after a later one,
# and a change recorded nowhere (made in a database shell; the services and the admin record theirs). ADR 0027.
_ROWS: dict[tuple, tuple[int, float, tuple]] = {}
ROW_SECONDS = 2.0
_ROWS_KEPT = 10_000


def forget_rows() -> None:
    """Drop the kept rows (tests: database ids and stamps repeat once a test's transaction is rolled back)."""
    _ROWS.clear()


def _campaign_row(sql: str, params: list, stamp_of_all: int | None) -> tuple | None:
    if stamp_of_all is None:  # a signed-in page (no token query), or this process has written since
        return fetch_row(sql, params)
    key, now = (sql, *params), time.monotonic()
    kept = _ROWS.get(key)
    if kept is not None and kept[0] == stamp_of_all and now - kept[1] < ROW_SECONDS:
        return kept[2]
    row = fetch_row(sql, params)
    if row is not None:
        if len(_ROWS) >= _ROWS_KEPT:
            _ROWS.clear()
        _ROWS[key] = (stamp_of_all, now, row)
    return row


# The campaign with its owner and playbook (as select_related would join them), the caller's role and the
# change stamp, in one query written once as text (core.joined_rows): behind every campaign request,
# compiling the ORM's version of it cost 1.2–1.5 ms, running it 0.1–0.3 ms.
_CAMPAIGN_PARTS = [
    Part(Campaign, "c"),
    Part(get_user_model(), "o", "owner"),
    Part(PlaybookVersion, "v", "playbook_version"),
    Part(Playbook, "p", "playbook_version.playbook"),
]


@functools.cache
def _campaign_sql(vendor: str, admin: bool, include_deleted: bool) -> str:
    """The rules of `visible_campaigns` as SQL (a member's campaigns, alive; an administrator's all, the deleted
    too when asked). `vendor` keys the cache: the quoting is the connection's."""
    quote = connection.ops.quote_name
    table = quote(Campaign._meta.db_table)
    role = "NULL" if admin else "m.role"
    member = "" if admin else f"JOIN {quote(Membership._meta.db_table)} m ON m.campaign_id = c.id AND m.user_id = %s "
    alive = "" if include_deleted else " AND c.deleted_at IS NULL"
    stamp = stamps.stamp_sql("c.id")
    return (
        f"SELECT {select_list(_CAMPAIGN_PARTS, role, f'({stamp})')} "
        f"FROM {table} c {member}"
        f"LEFT JOIN {quote(get_user_model()._meta.db_table)} o ON o.id = c.owner_id "
        f"LEFT JOIN {quote(PlaybookVersion._meta.db_table)} v ON v.id = c.playbook_version_id "
        f"LEFT JOIN {quote(Playbook._meta.db_table)} p ON p.id = v.playbook_id "
        f"WHERE c.id = %s{alive}"
    )


def require(user, campaign: Campaign, need: str, *, archived_ok: bool = False) -> None:
    """403 unless the caller's role in `campaign` gives `need` (and the campaign is still open to change)."""
    if not can(user, campaign, need, archived_ok=archived_ok):
        if need != VIEW and campaign.status == "archived":
            raise Forbidden(_("This campaign is archived and can no longer be changed."))
        if need != VIEW and is_read_only(user):
            raise Forbidden(read_only_refusal())
        raise Forbidden(_("Your role in this campaign does not allow this."))


def valid_id(object_id) -> int:
    """A path id as an int in the id column's range, else 404 (never a 500 from an overflowing query)."""
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < object_id <= MAX_ID:
        raise Http404
    return object_id


def object_for_user(queryset, user, object_id, need: str = VIEW, *, visible=None, team_message: str = ""):
    """A campaign's object by id, through its campaign's rules: 404 when the object or its campaign is
    hidden from the caller, 403 when the caller's role lacks `need`.

    `visible(user, campaign)` is the queryset of the objects the caller may see in that campaign (a
    partner sees only what is shared with them); `team_message` makes the object internal to the
    campaign team (partners get 403 with it). The object comes back with `.campaign` set to the
    checked campaign, so that services see the same instance."""
    obj = queryset.filter(pk=valid_id(object_id)).first()
    if obj is None:
        raise Http404
    if team_message:
        campaign = campaign_for_team(user, obj.campaign_id, VIEW, message=team_message)
    else:
        campaign = campaign_for_user(user, obj.campaign_id, VIEW)
    if visible is not None and not visible(user, campaign).filter(pk=obj.pk).exists():
        raise Http404
    require(user, campaign, need)
    obj.campaign = campaign
    return obj
