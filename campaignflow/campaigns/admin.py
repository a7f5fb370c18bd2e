from django.contrib import admin

from campaignflow.core.admin_mixins import AuditedAdminMixin

from .models import Campaign, Membership, Playbook, PlaybookVersion, StatusChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "status", "type", "start_date", "end_date", "owner", "budget_total", "deleted_at")
    list_filter = ("status", "type", "deleted_at")
    search_fields = ("name", "description", "industry")
    date_hierarchy = "start_date"
    list_select_related = ("owner",)
    inlines = [MembershipInline]
    actions = ["restore"]

    def get_queryset(self, request):
        return Campaign.objects.all()  # deleted ones too: the admin restores them

    @admin.action(description="Restore selected deleted campaigns")
    def restore(self, request, queryset):
        from .services import campaign_restore

        for campaign in queryset.filter(deleted_at__isnull=False):
            campaign_restore(actor=request.user, campaign=campaign)


class PlaybookVersionInline(admin.TabularInline):
    model = PlaybookVersion
    extra = 0
    fields = ("number", "note", "created_by", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Playbook)
class PlaybookAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("key", "name", "campaign_type", "is_builtin", "version")
    inlines = [PlaybookVersionInline]


@admin.register(PlaybookVersion)
class PlaybookVersionAdmin(admin.ModelAdmin):
    list_display = ("playbook", "number", "note", "created_at")


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "user", "role")
    list_filter = ("role",)
    search_fields = ("campaign__name", "user__username")


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("campaign", "from_status", "to_status", "actor", "at")
    list_filter = ("to_status",)
