"""The assistant's refusals answer what the OpenAPI document declares for them ({detail}, api.py)."""

import pytest

from campaignflow.assistant.models import Draft
from conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db


def test_unset_assistant_answers_the_documented_503_on_every_operation(owner_api, campaign, users, settings):
    settings.AI_BASE_URL = ""
    settings.AI_MODEL = ""
    draft = Draft.objects.create(
        campaign=campaign, requested_by=users["owner"], task="weekly_summary", model="m", prompt_hash="0" * 64
    )
    calls = [
        ("post", "/campaigns/{campaign_id}/assist", f"/campaigns/{campaign.pk}/assist", {"task": "weekly_summary"}),
        ("post", "/campaigns/{campaign_id}/assist/stream", f"/campaigns/{campaign.pk}/assist/stream",
         {"task": "weekly_summary"}),
        ("get", "/assist/drafts/{draft_id}", f"/assist/drafts/{draft.pk}", None),
        ("post", "/assist/drafts/{draft_id}/apply", f"/assist/drafts/{draft.pk}/apply", {"version": 1}),
        ("post", "/assist/drafts/{draft_id}/used", f"/assist/drafts/{draft.pk}/used", {"fields": ["key_results"]}),
    ]  # fmt: skip
    for method, template, path, body in calls:
        response = owner_api.get(path) if method == "get" else owner_api.post(path, body)
        assert response.status_code == 503, (path, response.content)
        assert_matches_openapi(f"/api/v1{template}", response.json(), method, 503)


def test_spent_budget_answers_the_documented_429(owner_api, campaign, fake_ai, settings):
    settings.AI_DAILY_TOKENS_PER_USER = 1
    Draft.objects.create(
        campaign=campaign, requested_by=owner_api.user, task="weekly_summary", model="m", prompt_hash="0" * 64,
        total_tokens=5,
    )  # fmt: skip
    for suffix in ("assist", "assist/stream"):
        response = owner_api.post(f"/campaigns/{campaign.pk}/{suffix}", {"task": "weekly_summary"})
        assert response.status_code == 429, response.content
        assert_matches_openapi(f"/api/v1/campaigns/{{campaign_id}}/{suffix}", response.json(), "post", 429)
    assert fake_ai.chat_requests() == []
