import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0001_squashed_0002_notification_group_count'),
    ]

    operations = [
        migrations.AddField(
            model_name='delivery',
            name='target_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='delivery',
            name='target_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='preference',
            name='chatapp',
            field=models.BooleanField(default=True, verbose_name='chat app'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='channel',
            field=models.CharField(choices=[('email', 'e-mail'), ('webhook', 'webhook'), ('chatapp', 'chat app')], max_length=10),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='kind',
            field=models.CharField(choices=[('alert', 'Alert'), ('approval', 'Approval waiting'), ('task_due', 'Task due'), ('task_overdue', 'Task overdue'), ('sla_breach', 'Issue SLA breached'), ('report', 'Report published'), ('numbers_missing', "Today's numbers missing"), ('other', 'Other')], max_length=20),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('alert', 'Alert'), ('approval', 'Approval waiting'), ('task_due', 'Task due'), ('task_overdue', 'Task overdue'), ('sla_breach', 'Issue SLA breached'), ('report', 'Report published'), ('numbers_missing', "Today's numbers missing"), ('other', 'Other')], default='other', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='preference',
            name='kind',
            field=models.CharField(choices=[('alert', 'Alert'), ('approval', 'Approval waiting'), ('task_due', 'Task due'), ('task_overdue', 'Task overdue'), ('sla_breach', 'Issue SLA breached'), ('report', 'Report published'), ('numbers_missing', "Today's numbers missing"), ('other', 'Other')], max_length=20),
        ),
    ]
