"""The scale-out path for real: tasks queued in Redis (django-tasks RQ backend) and run by a separate
`manage.py rqworker` process, against a real database both processes share."""

import os

import pytest

from tests.support.processes import manage, manage_shell, redis_up, scratch_database_env

RQ_JOB_CLASS = "django_tasks_rq.backend.Job"  # the worker must run django-tasks' job class


@pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_notification_is_delivered_by_the_redis_backed_worker(tmp_path):
    db_env, drop = scratch_database_env(tmp_path)
    queue_db = 9  # a scratch Redis database: this test empties it
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": f"redis://127.0.0.1:6379/{queue_db}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    env.pop("DATABASE_URL", None)
    env.update(db_env)
    try:
        import redis

        redis.Redis(db=queue_db).flushdb()
        manage(env, "migrate", "-v0", timeout=300)
        enqueue = (
            "from campaignflow.accounts.models import User;"
            "from django.db import transaction;"
            "from campaignflow.notifications.services import notify;"
            "u=User.objects.create_user('wang', email='wang@example.cn');"
            "transaction.atomic()(lambda: notify(kind='alert', title='渠道转化率骤降', recipients=[u]))();"
            "from campaignflow.notifications.models import Delivery;"
            "print(Delivery.objects.get().status)"
        )
        out = manage_shell(env, enqueue)
        assert out.split()[-1] == "pending"  # queued, not sent inside the request
        assert redis.Redis(db=queue_db).llen("rq:queue:default") == 1
        worker = manage(env, "rqworker", "default", "--burst", "--job-class", RQ_JOB_CLASS)
        check = (
            "from campaignflow.notifications.models import Delivery; d = Delivery.objects.get();"
            'print(repr(d.last_error).replace(" ", "_"), d.status)'
        )
        out_check = manage_shell(env, check, timeout=60)
        status = out_check.split()[-1]
        assert status == "sent", (out_check, worker.stdout + worker.stderr)
        mails = list((tmp_path / "mail").glob("*.log"))
        assert mails
        import email
        from email.header import decode_header, make_header

        message = email.message_from_string(mails[0].read_text(encoding="utf-8").split("\n---")[0])
        assert "渠道转化率骤降" in str(make_header(decode_header(message["Subject"])))
    finally:
        drop()
