"""Install or update the built-in playbooks; a changed built-in gets a new version."""

from django.core.management.base import BaseCommand

from campaignflow.campaigns.playbook_sync import sync_builtin_playbooks


class Command(BaseCommand):
    help = "Create the built-in playbooks (from the seeds) or add a new version where they changed."

    def handle(self, *args, **options):
        created, updated = sync_builtin_playbooks()
        if created or updated:
            self.stdout.write(f"Playbooks: {created} created, {updated} updated.")
