"""Back-office edits in the Django admin are audited and bump `version` like service writes."""

from django.db.models import F

from .audit import audit_record, snapshot


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change and obj.pk else None
        has_version = any(f.name == "version" for f in obj._meta.concrete_fields)
        super().save_model(request, obj, form, change)
        if change and has_version:
            type(obj)._base_manager.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.refresh_from_db()
        audit_record(
            actor=request.user,
            action="admin_change" if change else "admin_create",
            obj=obj,
            before=before,
            after=snapshot(obj),
            campaign=_campaign_of(obj),
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user, action="admin_delete", obj=obj, before=snapshot(obj), campaign=_campaign_of(obj)
        )
        super().delete_model(request, obj)


def _campaign_of(obj):
    if obj._meta.label == "campaigns.Campaign":
        return obj
    return getattr(obj, "campaign", None)
