"""`manage.py issue_token <username> [--name N]`: print a new API token as the last line."""

from django.core.management.base import BaseCommand, CommandError

from campaignflow.accounts.models import User
from campaignflow.accounts.services import token_create


class Command(BaseCommand):
    help = "Create a new API token for a user and print it (last line of the output)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        token, raw = token_create(user=user, name=name)
        self.stderr.write(f"Token {token.prefix}… created for {username}; it is shown only once.")
        self.stdout.write(raw)
