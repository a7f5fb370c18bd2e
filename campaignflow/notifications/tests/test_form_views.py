"""The error paths of the campaign's robots page: a refused robot shows at its field (422) and nothing is
written; the buttons (send test, pause, remove) act on the campaign's own robots only."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from campaignflow.notifications.models import Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

HOOK = "https://oapi.dingtalk.com/robot/send?access_token=abc"


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def page(campaign) -> str:
    return f"/campaigns/{campaign.id}/execution/notifications/"


def test_a_robot_without_a_name_shows_at_the_name_field_and_keeps_what_was_typed(users, campaign):
    response = client_for(users["owner"]).post(
        page(campaign), {"action": "create", "name": " ", "kind": "dingtalk", "url": HOOK}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert '<div class="field has-error"><label for="wh-name">' in html and 'class="field-error"' in html
    assert f'value="{HOOK.replace("&", "&amp;")}"' in html
    assert not WebhookEndpoint.objects.exists()


def test_a_robot_of_an_unknown_kind_shows_at_the_kind_field(users, campaign):
    response = client_for(users["owner"]).post(
        page(campaign), {"action": "create", "name": "群", "kind": "telex", "url": HOOK}
    )
    assert response.status_code == 422
    assert '<div class="field has-error"><label for="wh-kind">' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_buttons_pause_test_and_remove_a_robot(users, campaign):
    client = client_for(users["owner"])
    made = client.post(page(campaign), {"action": "create", "name": "群", "kind": "dingtalk", "url": HOOK})
    assert made.status_code == 302 and made.url == page(campaign)
    robot = WebhookEndpoint.objects.get()
    assert client.post(page(campaign), {"action": "toggle", "id": robot.id}).status_code == 302
    assert WebhookEndpoint.objects.get().active is False
    tested = client.post(page(campaign), {"action": "test", "id": robot.id})
    assert tested.status_code == 302 and Delivery.objects.filter(endpoint=robot).count() == 1
    assert len(list(get_messages(tested.wsgi_request))) == 2  # "robot added" and "test queued"
    assert client.post(page(campaign), {"action": "delete", "id": robot.id}).status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_members_may_not_change_the_robots(users, campaign):
    response = client_for(users["member"]).post(
        page(campaign), {"action": "create", "name": "群", "kind": "dingtalk", "url": HOOK}
    )
    assert response.status_code == 403 and not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("robot_id", ["999", "abc", str(2**70)])
def test_a_button_for_a_robot_the_campaign_does_not_have_is_a_404(users, campaign, robot_id):
    response = client_for(users["owner"]).post(page(campaign), {"action": "toggle", "id": robot_id})
    assert response.status_code == 404


def test_the_ticked_events_and_the_secret_are_what_the_robot_gets(users, campaign):
    posted = {
        "action": "create",
        "name": "群",
        "kind": "dingtalk",
        "url": HOOK,
        "secret": "SEC1",
        "events": ["alert", "sla_breach"],
    }
    assert client_for(users["owner"]).post(page(campaign), posted).status_code == 302
    robot = WebhookEndpoint.objects.get()
    assert robot.events == ["alert", "sla_breach"] and robot.secret == "SEC1" and robot.name == "群"


def test_an_unknown_event_shows_at_the_events_and_nothing_is_written(users, campaign):
    posted = {"action": "create", "name": "群", "kind": "dingtalk", "url": HOOK, "events": ["alert", "nope"]}
    response = client_for(users["owner"]).post(page(campaign), posted)
    html = response.content.decode()
    assert response.status_code == 422 and 'has-error"><label>' in html and 'class="field-error"' in html
    assert not WebhookEndpoint.objects.exists()
