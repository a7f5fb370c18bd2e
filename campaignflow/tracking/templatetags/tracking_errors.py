"""`{{ errors|row_errors }}`: import errors worded in the reader's language (see tracking.row_errors)."""

from django import template

from campaignflow.tracking.row_errors import localized

register = template.Library()


@register.filter
def row_errors(errors):
    return localized(errors)
