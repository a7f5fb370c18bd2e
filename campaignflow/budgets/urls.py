from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("campaigns/<int:pk>/budget/", views.budget_page, name="budget"),
    path("campaigns/<int:pk>/budget/action/", views.budget_action, name="action"),
    path("campaigns/<int:pk>/budget/settings/", views.budget_settings, name="settings"),
    path("campaigns/<int:pk>/budget/lines/new/", views.line_new, name="line-new"),
    path("campaigns/<int:pk>/budget/lines/<int:line_id>/", views.line_edit, name="line-edit"),
    path("campaigns/<int:pk>/budget/lines/<int:line_id>/delete/", views.line_delete, name="line-delete"),
    path("campaigns/<int:pk>/budget/expenses/", views.expense_add, name="expense-add"),
    path("campaigns/<int:pk>/budget/expenses/<int:expense_id>/edit/", views.expense_edit, name="expense-edit"),
    path("campaigns/<int:pk>/budget/expenses/<int:expense_id>/delete/", views.expense_delete, name="expense-delete"),
    path("campaigns/<int:pk>/budget/expenses/<int:expense_id>/decide/", views.expense_decide, name="expense-decide"),
    path("campaigns/<int:pk>/budget/expenses/<int:expense_id>/receipt/", views.receipt, name="receipt"),
    path("campaigns/<int:pk>/partners/", views.partners_page, name="partners"),
    path("campaigns/<int:pk>/partners/add/", views.partner_add, name="partner-add"),
    path("campaigns/<int:pk>/partners/<int:cp_id>/evaluate/", views.partner_evaluate, name="partner-evaluate"),
    path("campaigns/<int:pk>/partners/<int:cp_id>/duties/", views.responsibility_add, name="duty-add"),
    path("campaigns/<int:pk>/duties/<int:item_id>/", views.responsibility_toggle, name="duty-toggle"),
    path("campaigns/<int:pk>/partners/shares/", views.shares_set, name="shares"),
    path("campaigns/<int:pk>/settlement/", views.settlement_page, name="settlement"),
    path("campaigns/<int:pk>/settlement/sign/", views.settlement_sign, name="settlement-sign"),
    path("campaigns/<int:pk>/settlement.xlsx", views.settlement_download, name="settlement-xlsx"),
    path("campaigns/<int:pk>/settlement.pdf", views.settlement_pdf, name="settlement-pdf"),
    path("budget/overruns/", views.overrun_queue, name="overruns"),
]
