from django.contrib import admin

from campaignflow.core.admin_mixins import AuditedAdminMixin

from .models import Task


@admin.register(Task)
class TaskAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "campaign", "phase", "owner", "start_date", "end_date", "status", "progress")
    list_filter = ("status", "milestone")
    search_fields = ("code", "name", "campaign__name")
    list_select_related = ("campaign", "owner")
    raw_id_fields = ("campaign", "owner")
