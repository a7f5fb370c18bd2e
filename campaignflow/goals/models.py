"""Models of the goals app."""

from django.db import models  # noqa: F401
