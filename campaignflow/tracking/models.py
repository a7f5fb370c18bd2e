"""Models of the tracking app."""

from django.db import models  # noqa: F401
