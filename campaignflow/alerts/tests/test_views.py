"""The alerts page: lists alerts, acknowledges, resolves with an evaluation, saves thresholds."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from campaignflow.alerts import engine
from campaignflow.alerts.models import Alert, RuleSetting


def test_alerts_page_acknowledge_resolve_and_thresholds(users, campaign):
    task = campaign.tasks.get(code="T001")
    task.end_date = timezone.localdate() - dt.timedelta(days=3)
    task.save()
    engine.evaluate_campaign(campaign, notify=False)
    alert = Alert.objects.get(rule="task_overdue", subject=f"task:{task.pk}")
    client = Client()
    client.force_login(users["owner"])
    page = client.get(f"/campaigns/{campaign.id}/alerts/")
    assert page.status_code == 200 and "T001" in page.content.decode()
    client.post(f"/campaigns/{campaign.id}/alerts/{alert.id}/", {"action": "acknowledge"})
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    refused = client.post(
        f"/campaigns/{campaign.id}/alerts/{alert.id}/", {"action": "resolve", "evaluation": ""}, follow=True
    )
    assert refused.status_code == 200 and Alert.objects.get(pk=alert.pk).status == "acknowledged"
    assert '<details class="resolve" open>' in refused.content.decode()
    client.post(
        f"/campaigns/{campaign.id}/alerts/{alert.id}/",
        {"action": "resolve", "evaluation": "已调整排期", "decision": "adjust"},
    )
    assert Alert.objects.get(pk=alert.pk).status == "resolved"
    assert "已调整排期" in client.get(f"/campaigns/{campaign.id}/alerts/?status=resolved").content.decode()
    client.post(
        f"/campaigns/{campaign.id}/alerts/rules/", {"conversion_drop.enabled": "on", "conversion_drop.threshold": "30"}
    )
    setting = RuleSetting.objects.get(campaign=campaign, rule="conversion_drop")
    assert setting.params["threshold"] == 0.3  # typed as a percentage on the form
    page = client.get(f"/campaigns/{campaign.id}/alerts/").content.decode()
    assert 'name="conversion_drop.threshold" value="30"' in page
    assert 'name="kpi_deviation.threshold" value="10"' in page and 'max="100"' in page
    assert RuleSetting.objects.get(campaign=campaign, rule="task_overdue").enabled is False
