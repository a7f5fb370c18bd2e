"""Notification pages: the campaign's robots page is for managers only (and only they get a link to it);
muting a campaign for oneself is open to every member, from the inbox."""

from django.test import Client

from campaignflow.campaigns.models import Membership
from campaignflow.notifications import services
from campaignflow.notifications.models import CampaignMute

SETTINGS = "/campaigns/{id}/execution/notifications/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_managers_get_the_link_to_the_robots_page(users, campaign):
    link = SETTINGS.format(id=campaign.id)
    for actor, shown in (("owner", True), ("manager", True), ("member", False), ("viewer", False)):
        page = _client(users[actor]).get(f"/campaigns/{campaign.id}/execution/")
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, actor


def test_a_member_mutes_and_unmutes_a_campaign_from_the_inbox(users, campaign):
    services.notify(kind="task_overdue", title="T002 已逾期", campaign=campaign, recipients=[users["member"]])
    client = _client(users["member"])
    inbox = client.get("/inbox/").content.decode()
    mute_url = f"/campaigns/{campaign.id}/notifications/mute/"
    assert 'data-testid="mute-campaign"' in inbox and mute_url in inbox
    response = client.post(mute_url, {"muted": "1", "next": "/inbox/"})
    assert response.status_code == 302 and response.url == "/inbox/"
    assert CampaignMute.objects.filter(user=users["member"], campaign=campaign).exists()
    services.notify(kind="task_overdue", title="T003 已逾期", campaign=campaign, recipients=[users["member"]])
    inbox = client.get("/inbox/").content.decode()
    assert "T003" not in inbox and 'data-testid="mute-campaign"' not in inbox
    muted_list = inbox.split('data-testid="muted-campaigns"')[1].split("</ul>")[0]
    assert campaign.name in muted_list and mute_url in muted_list
    client.post(mute_url, {"muted": "0", "next": "/inbox/"})
    assert not CampaignMute.objects.filter(user=users["member"]).exists()


def test_partners_may_mute_and_off_site_targets_are_ignored(users, campaign):
    response = _client(users["partner"]).post(
        f"/campaigns/{campaign.id}/notifications/mute/", {"muted": "1", "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.id}/"
    assert CampaignMute.objects.filter(user=users["partner"], campaign=campaign).exists()


def test_no_mute_button_for_a_campaign_one_has_left(users, campaign):
    services.notify(kind="task_overdue", title="T002 已逾期", campaign=campaign, recipients=[users["viewer"]])
    Membership.objects.filter(campaign=campaign, user=users["viewer"]).delete()
    inbox = _client(users["viewer"]).get("/inbox/").content.decode()
    assert "T002" in inbox and 'data-testid="mute-campaign"' not in inbox


def test_managers_mute_from_the_robots_page_and_come_back_to_it(users, campaign):
    client = _client(users["manager"])
    page = SETTINGS.format(id=campaign.id)
    assert f"/campaigns/{campaign.id}/notifications/mute/" in client.get(page).content.decode()
    response = client.post(f"/campaigns/{campaign.id}/notifications/mute/", {"muted": "1", "next": page})
    assert response.status_code == 302 and response.url == page
    assert CampaignMute.objects.filter(user=users["manager"], campaign=campaign).exists()


def test_the_robot_form_refuses_an_internal_address_or_another_port_at_the_url_field(users, campaign, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com", "169.254.169.254"]
    client = _client(users["owner"])
    for url, message in (
        ("https://hooks.slack.com:8080/services/T/B/x", "不允许端口 8080"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 是内部网络地址"),
    ):
        page = client.post(
            SETTINGS.format(id=campaign.id), {"action": "create", "name": "群", "kind": "slack", "url": url}
        )
        assert page.status_code == 422
        html = page.content.decode()
        assert 'class="field has-error"><label for="wh-url">' in html and message in html
    assert not campaign.webhooks.exists()
