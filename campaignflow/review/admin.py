from django.contrib import admin

from campaignflow.core.admin_mixins import AuditedAdminMixin

from .models import EvaluationNote, Retrospective


@admin.register(EvaluationNote)
class EvaluationNoteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "kpi", "dimension", "updated_at")
    raw_id_fields = ("campaign", "kpi", "updated_by")


@admin.register(Retrospective)
class RetrospectiveAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "completed_at", "updated_at")
    raw_id_fields = ("campaign", "completed_by")
