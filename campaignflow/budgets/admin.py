from django.contrib import admin

from campaignflow.core.admin_mixins import AuditedAdminMixin

from .models import Budget, BudgetLine, CampaignPartner, Expense, Partner, PartnerContact, Responsibility


@admin.register(Budget)
class BudgetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "status", "revision", "updated_at")
    list_filter = ("status",)


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "category", "item", "planned")
    search_fields = ("item",)


@admin.register(Expense)
class ExpenseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "line", "amount", "date", "status")
    list_filter = ("status",)


@admin.register(Partner)
class PartnerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "industry")
    search_fields = ("name",)


@admin.register(CampaignPartner)
class CampaignPartnerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("campaign", "partner", "state")


admin.site.register(PartnerContact)
admin.site.register(Responsibility)
