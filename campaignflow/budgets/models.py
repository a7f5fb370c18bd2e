"""Models of the budgets app."""

from django.db import models  # noqa: F401
