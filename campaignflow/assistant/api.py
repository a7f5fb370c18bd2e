"""REST endpoints of the assistant (shared/API.md "Assistant"): a draft asked for, streamed, applied.
With AI_BASE_URL / AI_MODEL unset every endpoint answers 503."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Field, Router, Schema

from campaignflow import lookups
from campaignflow.campaigns.access import EDIT, VIEW, campaign_for_team, campaign_for_user
from campaignflow.core.api_types import IdField, InputSchema, PathId
from campaignflow.core.errors import InvalidInput

from . import services
from .domain.prompts import language
from .models import Draft

router = Router(tags=["assistant"])

Task = Literal["weekly_summary", "alert_analysis", "plan_from_brief", "retro_draft"]


class AssistIn(InputSchema):
    task: Task
    alert: IdField | None = None
    brief: str | None = Field(None, max_length=4000)
    week_start: dt.date | None = Field(None, description="weekly_summary: the report's week (default: this week)")
    playbook: IdField | None = Field(
        None, description="plan_from_brief: the playbook version to plan from (default: the campaign's)"
    )


class DraftOut(Schema):
    id: int
    task: str
    draft: dict
    model: str
    citations: list[dict]
    tokens: int = Field(..., alias="total_tokens")
    version: int
    diff: list[dict] | None = None

    @staticmethod
    def resolve_diff(obj: Draft):
        return services.plan_preview(obj) if obj.task == "plan_from_brief" else None


class AssistantError(Schema):
    detail: str


# The refusals of the assistant itself (errors.py), each {"detail": …}: 503 while AI_BASE_URL / AI_MODEL are
# unset (every endpoint), 429 once today's token budget is spent (asking for a draft), 502 when the endpoint
# fails or answers no usable draft and 504 when it does not answer in time (a draft asked for without the
# stream: the stream reports those two as its `error` event, after its 200).
OFF = {503: AssistantError}
ASKING = {429: AssistantError, **OFF}
CALLING = {502: AssistantError, 504: AssistantError, **ASKING}


class ApplyIn(InputSchema):
    version: int = Field(..., ge=1)


class UseIn(InputSchema):
    version: int | None = None
    fields: list[str] = Field(..., max_length=10)
    target: str = Field("", max_length=200)


def _prepared(request, campaign_id: int, payload: AssistIn):
    """The access check of each task, then the prompt from what the caller may see."""
    services.require_enabled()
    team_message = "The assistant's analyses of alerts and reviews are internal to the campaign team."
    if payload.task == "plan_from_brief":
        campaign = campaign_for_user(request.user, campaign_id, EDIT)
    elif payload.task in ("alert_analysis", "retro_draft"):
        campaign = campaign_for_team(request.user, campaign_id, VIEW, message=team_message, archived_ok=True)
    else:
        campaign = campaign_for_user(request.user, campaign_id, VIEW, archived_ok=True)
    alert = None
    if payload.task == "alert_analysis":
        if payload.alert is None:
            raise InvalidInput({"alert": "Choose the alert to analyse."})
        alert = lookups.alert_for_user(request.user, payload.alert, VIEW)
        if alert.campaign_id != campaign.pk:
            raise InvalidInput({"alert": "This alert belongs to another campaign."})
    prepared = services.prepare(
        actor=request.user,
        campaign=campaign,
        task=payload.task,
        lang=language(getattr(request, "LANGUAGE_CODE", "")),
        alert=alert,
        week_start=payload.week_start,
        brief=payload.brief or "",
        playbook_version_id=payload.playbook,
    )
    return campaign, prepared


@router.post("/campaigns/{campaign_id}/assist", response={200: DraftOut, **CALLING})
def assist(request, campaign_id: PathId, payload: AssistIn):
    """A draft from the campaign's own data; nothing is written to the campaign until a person applies it."""
    campaign, prepared = _prepared(request, campaign_id, payload)
    completion = services.call(prepared)
    return services.finish(actor=request.user, campaign=campaign, prepared=prepared, completion=completion)


# One server-sent event of the stream (before Open API 3.2, a text/event-stream `schema` describes each event):
# its name and its data, a JSON text.
SSE_EVENT = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["start", "delta", "partial", "done", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
    "required": ["event", "data"],
}


@router.post(
    "/campaigns/{campaign_id}/assist/stream",
    response=ASKING,
    openapi_extra={"responses": {200: {"description": "OK", "content": {"text/event-stream": {"schema": SSE_EVENT}}}}},
)
def assist_stream(request, campaign_id: PathId, payload: AssistIn):
    """The same draft as server-sent events (text/event-stream): start, delta…, partial…, then done (the
    stored draft, as POST /assist answers it) or error ({status, detail})."""
    campaign, prepared = _prepared(request, campaign_id, payload)

    def out(draft: Draft) -> dict:
        return DraftOut.from_orm(draft).dict(by_alias=False)

    events = services.assist_events(actor=request.user, campaign=campaign, prepared=prepared, out=out)
    response = StreamingHttpResponse(events, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the events on as they come
    return response


def _draft(request, draft_id: int, need: str) -> Draft:
    services.require_enabled()
    draft = Draft.objects.select_related("campaign").filter(pk=draft_id).first()
    if draft is None:
        from django.http import Http404

        raise Http404
    draft.campaign = campaign_for_user(request.user, draft.campaign_id, need)
    if draft.requested_by_id != request.user.pk and need == VIEW:
        campaign_for_user(request.user, draft.campaign_id, EDIT)
    return draft


@router.get("/assist/drafts/{draft_id}", response={200: DraftOut, **OFF})
def get_draft(request, draft_id: PathId):
    return _draft(request, draft_id, VIEW)


@router.post("/assist/drafts/{draft_id}/apply", response={200: DraftOut, **OFF})
def apply_draft(request, draft_id: PathId, payload: ApplyIn):
    """Apply a plan draft: the KPIs, channels, budget lines and task moves it shows, through their services."""
    draft = _draft(request, draft_id, EDIT)
    services.draft_apply_plan(actor=request.user, draft=draft, version=payload.version)
    draft.refresh_from_db()
    return draft


@router.post("/assist/drafts/{draft_id}/used", response={200: DraftOut, **OFF})
def record_use(request, draft_id: PathId, payload: UseIn):
    """Record that the caller took the draft's `fields` into a form (`target`: the page)."""
    draft = _draft(request, draft_id, VIEW)
    return services.draft_record_use(actor=request.user, draft=draft, fields=payload.fields, target=payload.target)
