"""The server routes Uppy's ``AwsS3`` plugin (Uppy 6) calls with ``companionEndpoint``: the
S3 part of Companion's protocol, answered with boto3 as a project without Companion would.

Each call signs with django-storages' boto3 client of the request's thread, as s3file's own
endpoints do, so both clients pay the same for a signature.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

EXPIRES = 3600


def _s3() -> tuple[Any, str]:
    return default_storage.connection.meta.client, default_storage.bucket_name  # type: ignore[attr-defined]


def _key(filename: str) -> str:
    return f"uppy/{uuid.uuid4().hex}/{filename}"


def params(request: HttpRequest) -> HttpResponse:
    """``GET s3/params``: a presigned POST for a file Uppy sends in one request."""
    client, bucket = _s3()
    content_type = request.GET.get("type") or "application/octet-stream"
    post = client.generate_presigned_post(
        bucket,
        _key(request.GET["filename"]),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}],
        ExpiresIn=EXPIRES,
    )
    # Uppy builds the object's location as url + key: the bucket URL with its slash.
    return JsonResponse({"method": "POST", "url": post["url"] + "/", "fields": post["fields"]})


@csrf_exempt
def create(request: HttpRequest) -> HttpResponse:
    """``POST s3/multipart``: start a multipart upload."""
    client, bucket = _s3()
    body = json.loads(request.body)
    key = _key(body["filename"])
    created = client.create_multipart_upload(
        Bucket=bucket, Key=key, ContentType=body.get("type") or "application/octet-stream"
    )
    return JsonResponse({"key": key, "uploadId": created["UploadId"]})


def sign_part(request: HttpRequest, upload_id: str, part: int) -> HttpResponse:
    """``GET s3/multipart/<id>/<n>?key=``: a presigned URL for one part's PUT."""
    client, bucket = _s3()
    url = client.generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": bucket,
            "Key": request.GET["key"],
            "UploadId": upload_id,
            "PartNumber": part,
        },
        ExpiresIn=EXPIRES,
    )
    return JsonResponse({"url": url, "expires": EXPIRES})


@csrf_exempt
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """``GET s3/multipart/<id>?key=`` lists the parts; ``DELETE`` aborts the upload."""
    client, bucket = _s3()
    where = {"Bucket": bucket, "Key": request.GET["key"], "UploadId": upload_id}
    if request.method == "DELETE":
        client.abort_multipart_upload(**where)
        return JsonResponse({})
    listed = client.list_parts(**where).get("Parts", [])
    return JsonResponse(
        [{"PartNumber": p["PartNumber"], "ETag": p["ETag"], "Size": p["Size"]} for p in listed],
        safe=False,
    )


@csrf_exempt
def complete(request: HttpRequest, upload_id: str) -> HttpResponse:
    """``POST s3/multipart/<id>/complete?key=``: join the parts."""
    client, bucket = _s3()
    key = request.GET["key"]
    parts = [
        {"PartNumber": p["PartNumber"], "ETag": f'"{p["ETag"].strip(chr(34))}"'}
        for p in json.loads(request.body)["parts"]
    ]
    done = client.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
    )
    return JsonResponse({"location": done.get("Location", ""), "bucket": bucket, "key": key})
