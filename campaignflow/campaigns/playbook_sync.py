"""Keep the database's built-in playbooks in step with domain/builtin_playbooks.py."""

from django.db import transaction

from .domain.builtin_playbooks import BUILTIN_PLAYBOOKS
from .domain.playbooks import parse_phases
from .models import Playbook, PlaybookVersion


@transaction.atomic
def sync_builtin_playbooks() -> tuple[int, int]:
    created = updated = 0
    for data in BUILTIN_PLAYBOOKS:
        parse_phases(data["phases"])  # refuse broken built-in data loudly
        playbook, _created = Playbook.objects.get_or_create(
            key=data["key"],
            defaults={
                "name": data["name"],
                "name_en": data.get("name_en", ""),
                "description": data.get("description", ""),
                "campaign_type": data["campaign_type"],
                "is_builtin": True,
                "version": 1,
            },
        )
        latest = playbook.latest()
        if latest is None:
            PlaybookVersion.objects.create(playbook=playbook, number=1, phases=data["phases"], note="built-in")
            created += 1
        elif latest.phases != data["phases"]:
            number = latest.number + 1
            PlaybookVersion.objects.create(
                playbook=playbook, number=number, phases=data["phases"], note="built-in update"
            )
            Playbook.objects.filter(pk=playbook.pk).update(version=number)
            updated += 1
        Playbook.objects.filter(pk=playbook.pk).update(
            name=data["name"],
            name_en=data.get("name_en", ""),
            description=data.get("description", ""),
            campaign_type=data["campaign_type"],
            is_builtin=True,
        )
    return created, updated
