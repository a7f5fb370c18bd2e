from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .backends import failures


class SignInForm(AuthenticationForm):
    """The login form for local and directory passwords: a refusal a backend explained (directory down, local
    passwords for admins only, account disabled) is shown as that message."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            explained = [f for f in failures(self.request) if f.message]
            if explained:
                raise ValidationError(explained[-1].message, code=explained[-1].reason) from None
            raise
