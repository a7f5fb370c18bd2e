"""Assistant endpoints in the access matrix (campaigns/tests/test_access_matrix.py), the assistant configured.

Each row's PREPARE points the assistant at the fake OpenAI-compatible endpoint on 127.0.0.1 (fake_endpoint.py)
through `override_settings(...).enable()`. The override is never
disabled here, and needs not be: the root conftest's autouse fixtures use pytest-django's `settings`, whose
teardown disables its own earlier override, which puts back the settings object from before the test, this
override included. It is enabled in PREPARE (run inside the test), never in `setup` (test_ui_access_matrix.py
runs `setup` once for a whole module, outside any test).
"""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings

from campaignflow.assistant.models import Draft
from campaignflow.assistant.tests.fake_endpoint import ai_settings
from tests.support.tables import read_table

ROWS = read_table(Path(__file__).with_name("access_table.txt"), columns=11)

WEEKLY = {"key_results": "销售额实际 35万。", "delayed_tasks": "", "next_week_plan": "", "resources": ""}
EMPTY_PLAN = {"kpis": [], "channels": [], "budget": [], "task_adjustments": [], "rationale": "", "warnings": []}


def _configured(ctx) -> None:
    override_settings(**ai_settings()).enable()


def _draft(ctx) -> Draft:
    return Draft.objects.get(pk=ctx["draft_id"])


def _plan_draft(ctx) -> None:
    """The draft as the owner's plan with nothing in it: applying it writes only the draft and its one audit
    entry (the matrix counts one per write); what an apply creates is test_drafts.py's."""
    _configured(ctx)
    Draft.objects.filter(pk=ctx["draft_id"]).update(
        task="plan_from_brief", requested_by=ctx["users"]["owner"], brief="夏季新品促销", draft=EMPTY_PLAN
    )


BODIES = {
    "ask for a draft": lambda ctx: {"task": "weekly_summary", "week_start": "2025-06-09"},
    "stream a draft": lambda ctx: {"task": "retro_draft"},
    "apply plan draft": lambda ctx: {"version": _draft(ctx).version},
    "record draft use": lambda ctx: {
        "version": _draft(ctx).version,
        "fields": ["key_results"],
        "target": "weekly report",
    },
}
PREPARE = {
    "ask for a draft": _configured,
    "stream a draft": _configured,
    "get draft": _configured,
    "apply plan draft": _plan_draft,
    "record draft use": _configured,
}
# The stream's draft and its audit entry are written while its events are read, after the status line this
# table checks (nothing is written before it); test_api.py reads the stream to its stored draft.
UNAUDITED = {"stream a draft"}


def setup(ctx):
    draft = Draft.objects.create(
        campaign=ctx["campaign"],
        requested_by=ctx["users"]["partner"],
        task="weekly_summary",
        model="fake-gpt",
        prompt_hash="0" * 64,
        draft=WEEKLY,
        total_tokens=200,
    )
    ctx["draft_id"] = draft.pk
