"""`manage.py sync_chat_apps`: the leavers' sync of DingTalk, Feishu and WeCom now (the scheduler runs it every
CHAT_SYNC_MINUTES): people who left or are disabled there are deactivated, department changes re-map roles."""

from django.core.management.base import BaseCommand, CommandError

from campaignflow.signin.chat_sync import sync_chat_apps


class Command(BaseCommand):
    help = "Deactivate the accounts of people who left or are disabled in DingTalk, Feishu or WeCom."

    def handle(self, *args, **options):
        report = sync_chat_apps()
        self.stdout.write(report)
        if "not synced" in report:
            raise CommandError("A chat app could not be synced; see above.")
