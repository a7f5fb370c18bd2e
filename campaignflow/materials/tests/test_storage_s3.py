"""Material files in an S3-compatible store (MATERIAL_STORAGE=s3), against a real S3 endpoint: moto's
server on 127.0.0.1, spoken to over HTTP by boto3 as a MinIO would be. The storage setting is the one
config/settings.py builds from the environment; the flow is the API's, as in test_api.py."""

from __future__ import annotations

import io
import runpy
import uuid
from pathlib import Path
from unittest import mock

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from campaignflow.materials import services
from campaignflow.materials.models import Material, MaterialFile

from . import sample_files as files
from .test_api import create, stored_files, upload

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "campaignflow-test", "AWS_SECRET_ACCESS_KEY": "campaignflow-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storages_from_environment(**env) -> dict:
    """STORAGES as config/settings.py sets it for this environment."""
    with mock.patch.dict("os.environ", env):
        return runpy.run_path(str(Path(django_settings.BASE_DIR) / "config" / "settings.py"))["STORAGES"]


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new, empty bucket, and the default storage on it."""
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    name = f"materials-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = storages_from_environment(
        MATERIAL_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=name,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    assert isinstance(default_storage, S3Storage)  # Django resets the default storage with the setting
    return client, name


@pytest.fixture
def api(api_for, users):
    return lambda who: api_for(users[who])


def keys(client, name: str) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))


def test_the_file_system_is_the_default_and_s3_needs_a_bucket():
    from django.core.exceptions import ImproperlyConfigured

    assert storages_from_environment()["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    with pytest.raises(ImproperlyConfigured):
        storages_from_environment(MATERIAL_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured):
        storages_from_environment(MATERIAL_STORAGE="ftp")


def test_upload_preview_download_and_the_same_bytes_once(bucket, api, campaign, django_capture_on_commit_callbacks):
    client, name = bucket
    owner = api("owner")
    poster, flyer = create(owner, campaign), create(owner, campaign, name="传单")
    with django_capture_on_commit_callbacks(execute=True):  # the preview is made once the upload commits
        first = upload(owner, poster["id"], files.png(), "主视觉.png")
    assert first.status_code == 201, first.content
    body = first.json()
    sha = body["sha256"]
    assert keys(client, name) == [f"materials/{sha[:2]}/{sha}", f"previews/{sha[:2]}/{sha}.webp"]
    grants = client.get_object_acl(Bucket=name, Key=f"materials/{sha[:2]}/{sha}")["Grants"]
    assert all("AllUsers" not in str(g.get("Grantee")) for g in grants)  # private: only through our view

    listed = owner.get(f"/materials/{poster['id']}/files").json()
    assert listed[0]["preview_status"] == "ready" and listed[0]["width"] == 600
    preview = owner.client.get(listed[0]["preview_url"], **owner.headers)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/webp"
    assert b"".join(preview.streaming_content)[:4] == b"RIFF"

    download = owner.client.get(body["url"], **owner.headers)
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Length"] == str(len(files.png()))
    assert b"".join(download.streaming_content) == files.png()

    with django_capture_on_commit_callbacks(execute=True):
        again = upload(owner, flyer["id"], files.png(), "flyer.png")
    assert again.status_code == 201 and again.json()["sha256"] == sha
    assert len(keys(client, name)) == 2  # stored once
    outsider = api("outsider").client.get(body["url"], **api("outsider").headers)
    assert outsider.status_code == 404


def test_refused_and_failed_uploads_leave_no_object(bucket, api, users, campaign):
    client, name = bucket
    owner = api("owner")
    material = create(owner, campaign)
    assert upload(owner, material["id"], files.svg_with_script(), "logo.svg").status_code == 415
    assert upload(owner, material["id"], files.truncated_png()).status_code == 422

    gone = services.material_create(actor=users["owner"], campaign=campaign, data={"name": "海报"})
    Material.objects.filter(pk=gone.pk).delete()  # between the access check and the write
    with pytest.raises(Material.DoesNotExist):
        services.file_upload(actor=users["owner"], material=gone, upload=io.BytesIO(files.pdf()))
    assert not MaterialFile.objects.exists()
    assert keys(client, name) == [] and stored_files() == []


def test_a_file_lost_from_the_bucket_is_404(bucket, api, campaign):
    client, name = bucket
    owner = api("owner")
    body = upload(owner, create(owner, campaign)["id"], files.pdf()).json()
    client.delete_object(Bucket=name, Key=MaterialFile.objects.get().blob)
    assert owner.client.get(body["url"], **owner.headers).status_code == 404


def test_a_large_file_goes_up_in_parts_and_comes_back_whole(bucket, api, campaign):
    """Past the 5 MB part size the store takes a multipart upload (settings' transfer_config)."""
    client, name = bucket
    owner = api("owner")
    video = files.mp4_header() + bytes(range(256)) * (12 * 4096)  # 12 MB and a bit
    body = upload(owner, create(owner, campaign, name="宣传视频", kind="video")["id"], video, "teaser.mp4").json()
    assert body["content_type"] == "video/mp4" and body["size"] == len(video)
    head = client.head_object(Bucket=name, Key=MaterialFile.objects.get().blob)
    assert head["ContentLength"] == len(video) and head["ETag"].endswith('-3"')  # three 5 MB parts
    download = owner.client.get(body["url"], **owner.headers)
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == video
