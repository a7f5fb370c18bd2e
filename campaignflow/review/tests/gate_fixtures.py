"""Make the review gate hold (see conftest.satisfy_gates): evaluation rows written, retrospective
completed, settlement signed by every party when partners take part."""

from django.utils import timezone


def satisfy(campaign, from_status: str, to_status: str) -> None:
    if to_status != "archived":
        return
    from campaignflow.goals.models import Kpi
    from campaignflow.review.demo import _settlement
    from campaignflow.review.models import EvaluationNote, Retrospective

    if not Kpi.objects.filter(campaign=campaign).exists():
        Kpi.objects.create(campaign=campaign, name="销售额", metric="销售额", unit="元", target=300000)
    for kpi in Kpi.objects.filter(campaign=campaign):
        note, _created = EvaluationNote.objects.get_or_create(kpi=kpi, defaults={"campaign": campaign})
        EvaluationNote.objects.filter(pk=note.pk).update(
            analysis=note.analysis or "KOL种草+限时折扣刺激消费",
            improvement=note.improvement or "可提前3天启动限时折扣",
        )
    Retrospective.objects.update_or_create(
        campaign=campaign,
        defaults={
            "worked": "短视频+KOL组合推广效果显著",
            "improve": "物料准备需提前5天验收",
            "completed_at": timezone.now(),
        },
    )
    _settlement(campaign)
