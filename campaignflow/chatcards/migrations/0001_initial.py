import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from campaignflow.core.migration_fields import campaign_fk, id_field, model_options, user_ref_fk, versioned_fields


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ActionToken',
            fields=[
                id_field(),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('card', models.CharField(db_index=True, max_length=32)),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('target_id', models.PositiveBigIntegerField()),
                ('target_version', models.PositiveIntegerField(verbose_name='version when sent')),
                ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                ('platform', models.CharField(blank=True, max_length=20, verbose_name='platform')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign')),
                ('recipient', user_ref_fk(verbose_name='recipient')),
                ('target_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('used_by', user_ref_fk(verbose_name='used by')),
            ],
            options=model_options('chat card button', 'chat card buttons', ordering=['-created_at', '-id']),
        ),
        migrations.CreateModel(
            name='NumbersReminder',
            fields=[
                *versioned_fields(),
                ('enabled', models.BooleanField(default=True, verbose_name='daily numbers reminder')),
                ('remind_at', models.TimeField(verbose_name='reminder time')),
                ('campaign', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='numbers_reminder', to='campaigns.campaign')),
            ],
            options=model_options('numbers reminder', 'numbers reminders'),
        ),
        migrations.CreateModel(
            name='ReminderSent',
            fields=[
                id_field(),
                ('date', models.DateField()),
                ('people', models.PositiveIntegerField(default=0)),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
                ('campaign', campaign_fk('+')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('campaign', 'date'), name='uniq_numbers_reminder_day')],
            },
        ),
    ]
