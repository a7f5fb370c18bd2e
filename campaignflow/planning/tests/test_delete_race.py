"""A delete made on an old read never removes a change committed meanwhile (core.audit.delete_versioned): the
version check and the delete are one statement, so the check cannot pass on a row that has moved on."""

import pytest

from campaignflow.core.errors import StaleVersion
from campaignflow.core.models import AuditEntry
from campaignflow.planning import services
from campaignflow.planning.models import Task


def test_a_task_changed_after_it_was_read_is_not_deleted(campaign, users):
    task = Task.objects.create(campaign=campaign, code="T900", name="启动会")
    read = Task.objects.get(pk=task.pk)  # what the deleting request loaded: version 1
    Task.objects.filter(pk=task.pk).update(name="项目启动会", version=2)  # another person's save, committed since
    with pytest.raises(StaleVersion) as refused:
        services.task_delete(actor=users["owner"], task=read, version=1)
    assert refused.value.current_version == 2
    assert Task.objects.get(pk=task.pk).name == "项目启动会"
    assert not AuditEntry.objects.filter(action="delete").exists()
    # the contract's DELETE without a version deletes whatever it holds, and the history keeps what that was
    services.task_delete(actor=users["owner"], task=Task.objects.get(pk=task.pk), version=None)
    assert not Task.objects.filter(pk=task.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_id=str(task.pk))
    assert entry.before["name"] == "项目启动会" and entry.campaign_id == campaign.id
