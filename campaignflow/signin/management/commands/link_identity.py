"""`manage.py link_identity <username> <method> <subject>`: the person signing in by <method> as <subject> gets
the account <username> (instead of a new one). `--unlink` removes such a link."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campaignflow.core.errors import DomainError
from campaignflow.signin import services
from campaignflow.signin.models import ExternalIdentity


class Command(BaseCommand):
    help = "Link a sign-in identity (method + the source's id for the person) to an existing account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("method", help="ldap, oidc, dingtalk, feishu or wecom (the method's id)")
        parser.add_argument("subject", help="the source's id for the person (LDAP entryUUID/objectGUID, OIDC sub, …)")
        parser.add_argument("--email", default="")
        parser.add_argument("--unlink", action="store_true", help="remove the link instead")

    def handle(self, *args, username, method, subject, email, unlink, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        if unlink:
            identity = ExternalIdentity.objects.filter(user=user, method=method, subject=subject).first()
            if identity is None:
                raise CommandError(f"{username} has no identity {method}:{subject}.")
            services.identity_unlink(actor=None, identity=identity)
            self.stdout.write(f"Unlinked {method}:{subject} from {username}.")
            return
        try:
            services.identity_link(actor=None, user=user, method=method, subject=subject, email=email)
        except DomainError as exc:
            raise CommandError(str(exc.detail)) from None
        self.stdout.write(f"Linked {method}:{subject} to {username}.")
