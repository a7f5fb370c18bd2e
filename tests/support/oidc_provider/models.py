"""What the IdP knows about a person beyond Django's user: the display name and whether the IdP vouches for the
e-mail address (the `email_verified` claim)."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idp_profile")
    name = models.CharField(max_length=200, blank=True)
    email_verified = models.BooleanField(default=True)

    def __str__(self):
        return self.name
