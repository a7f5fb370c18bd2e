"""The demo's materials (materials.demo): the lists the built-in playbooks made, with the statuses that
fit each campaign's stage, reached through the gate as a team would (reviewed, approved, accepted)."""

from django.core.management import call_command
from django.utils import timezone

from campaignflow.campaigns.models import Campaign
from campaignflow.materials.models import Material, MaterialReview


def _statuses(name: str) -> dict[str, str]:
    return dict(Material.objects.filter(campaign__name=name).values_list("name", "status"))


def test_demo_materials_fit_each_campaigns_stage(db):
    call_command("load_demo")
    today = timezone.localdate()
    for campaign in Campaign.objects.filter(status__in=("executing", "reviewing", "archived")):
        for m in Material.objects.filter(campaign=campaign):
            assert m.owner_id is not None
            want = "accepted" if m.due_date and m.due_date < today else "approved"
            assert m.status == want, (campaign.name, m.name, m.due_date, m.status)
            decisions = list(MaterialReview.objects.filter(material=m).values_list("decision", flat=True))
            assert decisions[:2] == ["submit", "approve"]  # the history the review would have written
    running = Campaign.objects.get(name="冬季新品焕新季促销")
    assert {"宣传海报", "展架", "礼品", "设备"} <= set(_statuses(running.name))  # seed 001's 物料清单
    archived = Campaign.objects.get(name="2024年夏季新品促销")
    gifts = Material.objects.get(campaign=archived, name="礼品")
    assert gifts.status == "accepted" and gifts.leftover_action == "stock" and gifts.leftover_place
    planning = Campaign.objects.get(status="planning")
    assert sorted(_statuses(planning.name).values()).count("in_review") == 2
    preparing = Campaign.objects.get(status="preparing")
    assert set(_statuses(preparing.name).values()) == {"draft"}
    assert Material.objects.filter(campaign=preparing, partner_approval=True).exists()  # co-branded, seed 000


def test_demo_materials_sent_to_review_have_a_file(db):
    """A review judges a file (services.material_review refuses without one): each demo material past its draft has
    its first revision, and its review history is on it."""
    call_command("load_demo")
    reviewed = Material.objects.exclude(status="draft")
    assert reviewed.filter(status="in_review").count() == 2
    for m in reviewed:
        assert m.revision >= 1 and m.files.filter(revision=m.revision).exists(), (m.campaign.name, m.name, m.status)
        assert not MaterialReview.objects.filter(material=m, revision=0).exists()
    call_command("load_demo")  # idempotent: no second revision
    assert not Material.objects.filter(revision__gt=1).exists()
