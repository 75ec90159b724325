"""Media on S3-compatible storage, against a real S3 API server (moto's server mode, which
.ci/run starts; S3_ENDPOINT_URL): evidence uploaded through the upload view lands in the bucket
and comes back through the scoped download view; a file the worker builds is kept there too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.urls import reverse

from qnwmh.audit.services import log_action
from qnwmh.downloads.models import FileStatus, GeneratedFile
from qnwmh.evidence.models import EvidenceFile
from tests import creation_helpers as ch
from tests import evidence_files as ef
from tests.scaleout_services import service


def s3_client(endpoint: str) -> Any:
    import os

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY", "testing"),
        aws_secret_access_key=os.environ.get("S3_SECRET_KEY", "testing"),
        region_name="us-east-1",
    )


def s3_storages(endpoint: str, bucket: str) -> dict[str, Any]:
    """What settings.py builds for STORAGE_BACKEND=s3, pointed at this server and bucket."""
    import os

    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": os.environ.get("S3_ACCESS_KEY", "testing"),
                "secret_key": os.environ.get("S3_SECRET_KEY", "testing"),
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
    }


@pytest.fixture
def bucket(settings: Any) -> Iterator[tuple[Any, str]]:
    """A fresh bucket on the S3 server, made the default storage for the test."""
    endpoint = service("S3_ENDPOINT_URL", "an S3-compatible server (moto_server)")
    client = s3_client(endpoint)
    name = f"qnwmh-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    settings.STORAGES = s3_storages(endpoint, name)
    yield client, name
    for obj in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=obj["Key"])
    client.delete_bucket(Bucket=name)


def stored(client: Any, bucket: str, key: str) -> bytes:
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_evidence_uploaded_through_the_view_is_kept_in_the_bucket_and_served_back(
    world: Any, bucket: tuple[Any, str], django_capture_on_commit_callbacks: Any
) -> None:
    client, name = bucket
    cy = ch.cycle()
    ch.register(world.collective, cy)
    entry = ch.entry(world, cy, n_photos=0, kind="job_drill")
    with django_capture_on_commit_callbacks(execute=True):  # the blob is written on commit
        answer = world.client("manager").post(
            reverse("creation:entry_attach", args=[world.collective.code, entry.code]),
            {"attachments": [ef.upload("现场.jpg", ef.jpeg(gps=True))]},
        )
    assert answer.status_code == 302
    evidence = EvidenceFile.objects.get(original_name="现场.jpg")
    kept = stored(client, name, evidence.storage_name)
    assert kept.startswith(b"\xff\xd8")  # the re-encoded JPEG, in the bucket
    assert evidence.thumbnail_name
    assert stored(client, name, evidence.thumbnail_name).startswith(b"\xff\xd8")

    served = world.client("manager").get(reverse("evidence:file", args=[evidence.code]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == kept
    # Scoped as on local disk: another body's admin gets nothing.
    other = world.client("outsider").get(reverse("evidence:file", args=[evidence.code]))
    assert other.status_code == 404


def test_a_file_built_by_the_worker_is_kept_in_the_bucket_and_downloaded(
    world: Any,
    bucket: tuple[Any, str],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, name = bucket
    settings.EXPORT_INLINE_ROWS = 0  # the export goes to the worker (run at once in tests)
    log_action(world.actor("city_admin"), None, "audit.log.exported", data={})
    city = world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        started = city.get(reverse("audit:log"), {"format": "xlsx"})
    assert started.status_code == 302
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.READY, generated.error
    kept = stored(client, name, generated.storage_name)
    assert kept.startswith(b"PK")  # an xlsx is a zip

    download = city.get(reverse("downloads:file", args=[generated.code]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == kept
