"""Backup and restore round trip: the data checksum after restoring equals the one at backup time."""

import io

import pytest
from django.core.management import call_command

from campaignflow.campaigns.models import Campaign
from campaignflow.core.backup import data_checksum


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(tmp_path, capsys):
    call_command("load_demo", stdout=io.StringIO())
    before = data_checksum()
    target = tmp_path / "cf.backup"
    call_command("backup", str(target))
    out = capsys.readouterr().out
    assert target.exists() and target.stat().st_size > 0 and before in out
    Campaign.objects.filter(name="冬季新品焕新季促销").update(name="被误改的名字")
    Campaign.objects.filter(name="618直播带货专场").delete()
    assert data_checksum() != before
    call_command("restore", str(target), "--yes")
    assert data_checksum() == before
    assert Campaign.objects.filter(name="冬季新品焕新季促销").exists()
