"""`resolve`: entries that asked someone to act stop waiting once the thing is done (an approval decided)."""

import datetime as dt

import pytest
from django.utils import timezone

from campaignflow.notifications import services
from campaignflow.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _ask(campaign, users, key: str) -> None:
    services.notify(
        kind="approval", title=key, campaign=campaign, recipients=[users["finance"], users["director"]], group_key=key
    )


def _waiting() -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(read_at__isnull=True).values_list("recipient__username", "group_key"))


def test_resolve_reads_the_entries_of_its_prefix_for_every_recipient_only(campaign, users, playbooks):
    from conftest import make_campaign

    other = make_campaign({**users, "owner": users["outsider"]})
    _ask(campaign, users, "approval:budget:1:3")
    _ask(campaign, users, "approval:budget:12:3")  # another object whose id starts the same
    _ask(other, users, "approval:budget:1:5")  # the same prefix in another campaign: not this campaign's
    services.notify(kind="approval", title="no key", campaign=campaign, recipients=[users["finance"]])
    assert services.resolve(campaign=campaign, group_key_prefix="approval:budget:1:") == 2
    assert _waiting() == [
        ("director1", "approval:budget:12:3"),
        ("director1", "approval:budget:1:5"),
        ("finance1", ""),
        ("finance1", "approval:budget:12:3"),
        ("finance1", "approval:budget:1:5"),
    ]


def test_resolve_leaves_an_entry_already_read_as_it_was(campaign, users):
    _ask(campaign, users, "approval:expense:7:1")
    read_at = timezone.now() - dt.timedelta(days=1)
    Notification.objects.filter(recipient=users["finance"]).update(read_at=read_at)
    assert services.resolve(campaign=campaign, group_key_prefix="approval:expense:7:") == 1
    assert Notification.objects.get(recipient=users["finance"]).read_at == read_at
    assert _waiting() == []


def test_resolve_needs_a_prefix(campaign):
    with pytest.raises(ValueError):
        services.resolve(campaign=campaign, group_key_prefix="")
