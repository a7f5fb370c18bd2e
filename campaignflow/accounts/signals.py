"""What accounts tells the apps above it (docs/development.md: a lower app signals, never imports them)."""

from django.dispatch import Signal

# Sent with `user=` for the account an API token authenticated, before the request is served. A receiver may
# bring the account up to date (campaignflow.signin re-reads the person's directory entry every few minutes: a
# changed role, or the account deactivated); an account no longer active then gets 401.
token_user = Signal()
