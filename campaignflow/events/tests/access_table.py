"""Events endpoints in the access matrix."""

from pathlib import Path

from django.utils import timezone

from campaignflow.events.models import Event, Registration
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)


def _event(ctx) -> Event:
    return Event.objects.get(pk=ctx["event_id"])


BODIES = {
    "create event": lambda ctx: {"name": "新品发布会", "starts_at": "2025-06-20T14:00:00+08:00"},
    "patch event": lambda ctx: {"version": _event(ctx).version, "capacity": 300},
    "check in": lambda ctx: {"ticket_code": Registration.objects.get(pk=ctx["registration_id"]).ticket_code},
    "register in public": lambda ctx: {"name": "李四", "phone": "13900139000", "consent": True},
}
PREPARE = {"delete event": lambda ctx: Registration.objects.filter(event_id=ctx["event_id"]).delete()}
# a registration is its own record; an audit entry per person would copy their data into the log (services.py)
UNAUDITED = {"register in public"}
QUERY = {"delete event": lambda ctx: f"?version={_event(ctx).version}"}


def setup(ctx):
    event = Event.objects.create(
        campaign=ctx["campaign"],
        name="新品发布会",
        slug="access-table-event",
        starts_at=timezone.now() + timezone.timedelta(days=30),
        consent_text="我同意主办方为本次活动使用我的姓名和手机号。",
        created_by=ctx["users"]["owner"],
    )
    registration = Registration.objects.create(
        event=event,
        name="张三",
        phone="13800138000",
        channel="抖音",
        ticket_code="ACCESSTABLE234",
        consent_version=1,
        consented_at=timezone.now(),
    )
    ctx.update(event_id=event.pk, registration_id=registration.pk, slug=event.slug, code=registration.ticket_code)
