"""The funnel's step labels: one copy (tracking.selectors.step_labels), read by the board, the review
and the evaluation PDF alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP_ROOT = Path(__file__).resolve().parents[2]


def test_the_step_labels_are_written_once():
    """Each label's msgid appears in one source file only (tracking, which the review and reports read)."""
    files = {
        path.relative_to(APP_ROOT).as_posix()
        for path in APP_ROOT.rglob("*.py")
        if "tests" not in path.parts and re.search(r'_\("Exposure"\)', path.read_text(encoding="utf-8"))
    }
    assert files == {"tracking/selectors.py"}


@pytest.mark.parametrize("lang, labels", [("zh-hans", ["曝光", "点击", "转化", "购买"]), ("en", ["Exposure", "Click"])])
def test_board_and_review_name_the_steps_alike(seeded, api_for, users, client, lang, labels):
    owner = api_for(users["owner"])
    rows = [
        {"date": "2025-06-10", "channel": "抖音", "metric": m, "value": v}
        for m, v in (("曝光量", "100000"), ("点击量", "5000"), ("转化数", "400"), ("购买数", "100"))
    ]
    assert owner.post(f"/campaigns/{seeded.pk}/metrics", {"rows": rows}).status_code == 200
    board = owner.get(f"/campaigns/{seeded.pk}/board", HTTP_ACCEPT_LANGUAGE=lang).json()
    client.force_login(users["owner"])
    review = client.get(f"/campaigns/{seeded.pk}/review/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for key, label in zip(("exposure", "click", "conversion", "purchase"), labels, strict=False):
        assert board["funnel"]["labels"][key] == label
        assert f">{label}</th>" in review
