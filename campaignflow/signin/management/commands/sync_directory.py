"""`manage.py sync_directory`: the leavers' sync of the company directory now (the scheduler runs it every
LDAP_SYNC_MINUTES): people gone or disabled there are deactivated, group changes re-map roles."""

from django.core.management.base import BaseCommand, CommandError

from campaignflow.signin.errors import SourceUnavailable
from campaignflow.signin.ldap_sync import sync_ldap
from campaignflow.signin.sync import MassRemoval


class Command(BaseCommand):
    help = "Deactivate the accounts of people gone or disabled in the company directory; re-map their roles."

    def handle(self, *args, **options):
        try:
            self.stdout.write(sync_ldap())
        except SourceUnavailable as exc:
            raise CommandError(f"The directory cannot be reached: {exc}") from None
        except MassRemoval as exc:
            raise CommandError(str(exc)) from None
