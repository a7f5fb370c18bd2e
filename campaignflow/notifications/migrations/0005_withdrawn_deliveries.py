"""A delivery can be withdrawn (its request was decided before it went out), and the approval requests made before
requests had group keys are closed when nothing of their campaign waits for a decision any more: those older
entries cannot be told apart per budget or expense, so the campaign is the unit (one still waiting keeps them all)."""

from django.db import migrations, models
from django.utils import timezone


def close_old_approval_requests(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Delivery = apps.get_model("notifications", "Delivery")
    Budget = apps.get_model("budgets", "Budget")
    Expense = apps.get_model("budgets", "Expense")
    waiting = set(Budget.objects.filter(status="submitted").values_list("campaign_id", flat=True))
    waiting |= set(Expense.objects.filter(status__in=["held", "pending"]).values_list("campaign_id", flat=True))
    old = {"kind": "approval", "group_key": "", "campaign__isnull": False}
    Notification.objects.filter(read_at__isnull=True, **old).exclude(campaign_id__in=waiting).update(
        read_at=timezone.now()
    )
    Delivery.objects.filter(status__in=["pending", "failed"], **old).exclude(campaign_id__in=waiting).update(
        status="withdrawn"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_message_keys"),
        ("budgets", "0001_squashed_0002_expense_correction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sent", "Sent"),
                    ("failed", "Failed, will retry"),
                    ("dead", "Gave up"),
                    ("withdrawn", "Withdrawn: no longer needed"),
                ],
                db_index=True,
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(close_old_approval_requests, migrations.RunPython.noop),
    ]
