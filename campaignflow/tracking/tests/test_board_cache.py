"""The cached board (campaigns.read_cache) is never staler than the last committed change: every write
of what the board shows gives a new key; partners, languages and days get entries of their own."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaignflow.goals.models import Channel, Kpi
from tests.support.processes import redis_up

pytestmark = pytest.mark.django_db


def push(api, campaign, rows):
    response = api.post(f"/campaigns/{campaign.id}/metrics", {"rows": rows})
    assert response.status_code == 200, response.content


def row(date, channel, value, metric="销售额"):
    return {"date": date, "channel": channel, "metric": metric, "value": str(value)}


def board(api, campaign) -> dict:
    response = api.get(f"/campaigns/{campaign.id}/board")
    assert response.status_code == 200, response.content
    return response.json()


def card(data, name):
    return next(k for k in data["kpis"] if k["name"] == name)


@pytest.fixture
def api(campaign, users, api_for):
    member = api_for(users["member"])
    created = member.post(
        f"/campaigns/{campaign.id}/kpis",
        {"name": "销售额", "metric": "销售额", "target": "30万", "priority": "core", "direction": "up"},
    )
    assert created.status_code in (200, 201), created.content
    push(member, campaign, [row("2025-06-01", "抖音", "20万"), row("2025-06-02", "小红书", "15万")])
    return member


def test_a_repeated_read_is_served_from_the_cache(campaign, api):
    first = api.get(f"/campaigns/{campaign.id}/board")
    with CaptureQueriesContext(connection) as cold:
        api.client.get(f"/api/v1/campaigns/{campaign.id}/board?x=1", **api.headers)  # same key: warm
    from django.core.cache import caches

    caches["local"].clear()
    caches["shared"].clear()
    with CaptureQueriesContext(connection) as rebuilt:
        again = api.get(f"/campaigns/{campaign.id}/board")
    assert again.content == first.content
    assert len(cold) < len(rebuilt)  # token, campaign, role, stamp — no board queries
    assert card(first.json(), "销售额")["actual"] == 350000
    assert card(first.json(), "销售额")["achievement_rate"] == pytest.approx(1.1667, abs=1e-4)


def test_every_kind_of_write_shows_at_once(campaign, api, users, client, api_for):
    assert card(board(api, campaign), "销售额")["actual"] == 350000

    push(api, campaign, [row("2025-06-02", "小红书", "5万")])  # upsert: a day replaced
    data = board(api, campaign)
    assert card(data, "销售额")["actual"] == 250000

    kpi = Kpi.objects.get(campaign=campaign, name="销售额")
    patched = api.patch(f"/campaigns/{campaign.id}/kpis/{kpi.id}", {"version": kpi.version, "target": "25万"})
    assert patched.status_code == 200, patched.content
    assert card(board(api, campaign), "销售额")["target"] == 250000

    batches = api.get(f"/campaigns/{campaign.id}/import-batches").json()
    newest = max(b["id"] for b in batches)
    assert api.delete(f"/import-batches/{newest}").status_code == 200  # undo restores 15万
    assert card(board(api, campaign), "销售额")["actual"] == 350000

    client.force_login(users["member"])  # the grid of the web UI
    page = client.post(
        f"/campaigns/{campaign.id}/data/grid/?channel=抖音",
        {"channel": "抖音", "cols": "1", "m0": "销售额", "c0_0": "1000"},
    )
    assert page.status_code in (200, 302)
    assert card(board(api, campaign), "销售额")["actual"] == 151000  # 抖音 on 6-01: 20万 → 1000

    owner = api_for(users["owner"])
    moved = owner.patch(f"/campaigns/{campaign.id}", {"version": campaign.version, "end_date": "2025-07-31"})
    assert moved.status_code == 200, moved.content
    assert board(api, campaign)["campaign"]["end_date"] == "2025-07-31"


def test_partners_and_team_get_their_own_entries(campaign, api, users, api_for):
    Channel.objects.create(campaign=campaign, name="抖音", shared_with_partners=True)
    hidden = Channel.objects.create(campaign=campaign, name="小红书")
    kpi = Kpi.objects.get(campaign=campaign, name="销售额")
    shared = api.patch(
        f"/campaigns/{campaign.id}/kpis/{kpi.id}", {"version": kpi.version, "shared_with_partners": True}
    )
    assert shared.status_code == 200
    partner = api_for(users["partner"])
    assert set(board(api, campaign)["channels"]) == {"抖音", "小红书"}  # the team's entry first
    assert board(partner, campaign)["channels"] == ["抖音"]
    assert set(board(api, campaign)["channels"]) == {"抖音", "小红书"}

    hidden.refresh_from_db()
    response = api.patch(
        f"/campaigns/{campaign.id}/channels/{hidden.id}", {"version": hidden.version, "shared_with_partners": True}
    )
    assert response.status_code == 200, response.content
    assert set(board(partner, campaign)["channels"]) == {"抖音", "小红书"}  # sharing shows at once


def test_languages_and_days_have_their_own_entries(campaign, api):
    chinese = api.get(f"/campaigns/{campaign.id}/board", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = api.get(f"/campaigns/{campaign.id}/board", HTTP_ACCEPT_LANGUAGE="en").json()
    names = {s["name"] for s in english["cumulative"]["option"]["series"]}
    assert "Plan (cumulative)" in names
    assert "Plan (cumulative)" not in {s["name"] for s in chinese["cumulative"]["option"]["series"]}

    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 6, 1)):
        early = board(api, campaign)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 6, 2)):
        later = board(api, campaign)
    assert early["campaign"]["today"] == "2025-06-01" and len(early["daily"]) == 1
    assert later["campaign"]["today"] == "2025-06-02" and len(later["daily"]) == 2


def test_the_page_uses_the_same_cache_and_sees_writes(campaign, api, users, client):
    client.force_login(users["member"])
    before = client.get(f"/campaigns/{campaign.id}/board/")
    assert before.status_code == 200
    push(api, campaign, [row("2025-06-03", "微博", "7777")])
    after = client.get(f"/campaigns/{campaign.id}/board/")
    assert after.context["board"] != before.context["board"]
    assert card(after.context["board"], "销售额")["actual"] == 350000 + 7777


def test_the_cache_can_be_turned_off(campaign, api, settings):
    settings.READ_CACHE_SECONDS = 0
    board(api, campaign)
    Kpi.objects.filter(campaign=campaign).update(target=Decimal(100))  # behind the services' back
    assert card(board(api, campaign), "销售额")["target"] == 100


def _rows(api, campaign, query="") -> list[tuple]:
    response = api.get(f"/campaigns/{campaign.id}/metrics{query}")
    assert response.status_code == 200, response.content
    return [(r["date"], r["channel"], r["value"]) for r in response.json()]


def test_metric_rows_are_cached_per_filter_audience_and_write(campaign, api, users, api_for, client):
    day = "?date_from=2025-06-02&date_to=2025-06-02"
    assert _rows(api, campaign, day) == [("2025-06-02", "小红书", "150000.0000")]
    assert len(_rows(api, campaign)) == 2  # other filters: another entry
    assert _rows(api, campaign, "?channel=抖音") == [("2025-06-01", "抖音", "200000.0000")]
    assert _rows(api, campaign, "?channel=抖 音") == []  # free text in the key (hashed)

    push(api, campaign, [row("2025-06-02", "小红书", "5万")])  # an upsert shows at once
    assert _rows(api, campaign, day) == [("2025-06-02", "小红书", "50000.0000")]
    newest = max(b["id"] for b in api.get(f"/campaigns/{campaign.id}/import-batches").json())
    assert api.delete(f"/import-batches/{newest}").status_code == 200  # so does an undo
    assert _rows(api, campaign, day) == [("2025-06-02", "小红书", "150000.0000")]
    client.force_login(users["member"])  # and the grid of the web UI
    page = client.post(
        f"/campaigns/{campaign.id}/data/grid/?channel=小红书",
        {"channel": "小红书", "cols": "1", "m0": "销售额", "c1_0": "7"},  # row 1: 2025-06-02
    )
    assert page.status_code in (200, 302)
    assert _rows(api, campaign, day) == [("2025-06-02", "小红书", "7.0000")]

    # a partner sees only shared channels, even right after the team's read of the same filter
    Channel.objects.create(campaign=campaign, name="抖音", shared_with_partners=True)
    Channel.objects.create(campaign=campaign, name="小红书")
    everything = _rows(api, campaign)
    assert {r[1] for r in everything} == {"抖音", "小红书"}
    assert {r[1] for r in _rows(api_for(users["partner"]), campaign)} == {"抖音"}


def _board_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "tracking_metric" in q["sql"] or "goals_kpi" in q["sql"]]


def test_a_metric_write_builds_the_board_for_the_readers_after_it(
    campaign, api, users, client, django_capture_on_commit_callbacks
):
    """The push committed, then built the team's board: another worker process (its own cache empty) reads it
    from the shared cache, with no query of the board's data, and it shows the push."""
    from django.core.cache import caches

    with django_capture_on_commit_callbacks(execute=True):
        push(api, campaign, [row("2025-06-03", "抖音", "1万")])
    caches["local"].clear()  # what another worker process holds
    with CaptureQueriesContext(connection) as read:
        data = board(api, campaign)
    assert _board_queries(read) == []
    assert card(data, "销售额")["actual"] == 360000
    client.force_login(users["member"])  # the web page reads the same entry
    caches["local"].clear()
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/campaigns/{campaign.id}/board/").status_code == 200
    assert _board_queries(page) == []


def test_the_shared_board_lives_in_a_database_table_without_redis(
    campaign, api, settings, django_capture_on_commit_callbacks
):
    """The default deployment (no Redis): the shared cache is a table of the database, created by migrate."""
    from django.core.cache import caches
    from django.core.management import call_command

    settings.READ_CACHE_SHARED = "database"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cf_test_shared_cache"},
    }
    call_command("createcachetable", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        push(api, campaign, [row("2025-06-03", "抖音", "2万")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cf_test_shared_cache")
        assert cursor.fetchone()[0] == 2  # the board and its JSON
    caches["local"].clear()
    with CaptureQueriesContext(connection) as read:
        data = board(api, campaign)
    assert _board_queries(read) == []
    assert card(data, "销售额")["actual"] == 370000


def test_a_failed_build_after_the_write_leaves_the_board_to_its_first_reader(
    campaign, api, monkeypatch, django_capture_on_commit_callbacks
):
    from campaignflow.tracking import selectors

    real = selectors.board
    monkeypatch.setattr(selectors, "board", mock.Mock(side_effect=RuntimeError("disk full")))
    with django_capture_on_commit_callbacks(execute=True):
        push(api, campaign, [row("2025-06-03", "抖音", "1万")])  # the write itself succeeds
    monkeypatch.setattr(selectors, "board", real)
    assert card(board(api, campaign), "销售额")["actual"] == 360000


def test_an_english_reader_gets_an_english_board_after_a_write(campaign, api):
    push(api, campaign, [row("2025-06-03", "抖音", "1万")])
    zh = api.get(f"/campaigns/{campaign.id}/board").content
    en = api.client.get(f"/api/v1/campaigns/{campaign.id}/board", HTTP_ACCEPT_LANGUAGE="en", **api.headers).content
    assert zh != en


@pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_with_redis_every_read_is_shared_and_a_repeat_stays_in_the_process(campaign, api, settings):
    """With Redis (CACHE_URL), any cached read built by one worker process serves the others, and the process that
    holds it answers a repeat from its own memory without asking Redis (ADR 0024)."""
    from django.core.cache import caches

    from campaignflow.campaigns.access import forget_rows

    settings.READ_CACHE_SHARED = "redis"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/8"},
    }
    caches["shared"].clear()  # a scratch Redis database: this test empties it
    tasks = f"/campaigns/{campaign.id}/tasks"

    def read() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(tasks)
        assert response.status_code == 200, response.content
        return len(queries)

    def another_process() -> None:  # what a worker process keeps in its memory: the reads, the campaign's row
        caches["local"].clear()
        forget_rows()

    built = read()
    assert any(key.startswith(b":1:read:tasks.json:") for key in caches["shared"]._cache.get_client().keys("*"))
    cached = read()
    assert cached < built
    another_process()  # finds it in Redis (after reading the campaign's row: ADR 0027)
    assert read() == cached + 1
    caches["shared"].clear()  # Redis emptied: this process still holds it
    assert read() == cached
    another_process()  # neither holds it: built again
    assert read() == built
    caches["shared"].clear()
