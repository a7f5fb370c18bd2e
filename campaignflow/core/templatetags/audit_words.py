"""`{% load audit_words %}` … `{% for e in entries|in_words %}`: audit entries as a history page shows them
(`core.audit_display.describe`: action, object type and changed fields in the reader's words)."""

from django import template

from campaignflow.core.audit_display import describe

register = template.Library()


@register.filter
def in_words(entries):
    return describe(entries)
