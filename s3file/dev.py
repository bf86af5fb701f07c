"""The dev S3 endpoint: S3's side of a direct upload, played by Django itself while the
default storage is a ``FileSystemStorage``.

It checks a POST against the same policy S3 would (signature, expiry, key prefix, size,
type, checksum) and a multipart part against a URL this server signed, and answers with S3's
status codes. ``manage.py check --deploy`` refuses it (``s3file.E001``).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import shutil
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix
from django.utils.crypto import constant_time_compare, salted_hmac

from . import conf
from .multipart import SALT, MiB, MultipartError, Upload, check_complete, sign_upload
from .policy import condition_met, conditions
from .signing import Grant

DEV_SALT = "s3file.dev-endpoint"
DEV_ALGORITHM = "S3FILE-HMAC-SHA256"


def presign_post(grant: Grant) -> tuple[str, dict]:
    """The URL and fields of a POST to the dev endpoint, with S3's policy, signed here."""
    expires = conf.get("S3FILE_EXPIRES")
    key = grant.folder + "/${filename}"
    expiration = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=expires)
    policy = {
        "expiration": expiration.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conditions": [
            ["starts-with", "$key", grant.folder + "/"],
            *conditions(grant),
        ],
    }
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    fields = {
        "key": key,
        "success_action_status": "201",
        "policy": encoded,
        "x-amz-algorithm": DEV_ALGORITHM,
        "x-amz-signature": sign_policy(encoded),
    }
    return get_script_prefix() + conf.get("S3FILE_ENDPOINT_PATH"), fields


def sign_policy(policy: str) -> str:
    return salted_hmac(DEV_SALT, policy, algorithm="sha256").hexdigest()


class PolicyRefusal(Exception):
    """A POST the dev endpoint refuses, with the status and S3 error code S3 would answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def check_post(fields: dict[str, str], size: int) -> str:
    """Check a POST to the dev endpoint as S3 would; return its key or raise PolicyRefusal."""
    fields = {name.lower(): value for name, value in fields.items()}
    encoded, signature = fields.get("policy", ""), fields.get("x-amz-signature", "")
    if not encoded or not signature or "key" not in fields:
        raise PolicyRefusal(400, "InvalidArgument", "POST requires key, policy and signature.")
    if not constant_time_compare(signature, sign_policy(encoded)):
        raise PolicyRefusal(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
        expiration = datetime.datetime.fromisoformat(policy["expiration"])
    except (binascii.Error, ValueError, KeyError, TypeError) as e:
        raise PolicyRefusal(400, "InvalidPolicyDocument", "Invalid Policy: malformed.") from e
    if expiration <= datetime.datetime.now(datetime.UTC):
        raise PolicyRefusal(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    covered = {"policy", "x-amz-signature", "x-amz-algorithm"}
    for condition in policy["conditions"]:
        if isinstance(condition, dict):
            ((name, expected),) = condition.items()
            condition = ["eq", "$" + name, expected]
        op, name = condition[0], condition[1]
        if op == "content-length-range":
            if size > condition[2]:
                raise PolicyRefusal(
                    400,
                    "EntityTooLarge",
                    "Your proposed upload exceeds the maximum allowed size.",
                )
            if size < condition[1]:
                raise PolicyRefusal(
                    400,
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed size.",
                )
            continue
        name = name.lstrip("$").lower()
        covered.add(name)
        if not condition_met(condition, fields.get(name, "")):
            raise PolicyRefusal(
                403,
                "AccessDenied",
                f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}",
            )
    if extra := set(fields) - covered:
        raise PolicyRefusal(
            403,
            "AccessDenied",
            f"Invalid according to Policy: Extra input fields: {', '.join(sorted(extra))}",
        )
    return fields["key"]


class DevBackend:
    """The same flow on the local disk: parts in ``.s3file-multipart/<id>/`` under the storage,
    uploaded with PUT to ``views.dev_part`` through URLs this server signs."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage

    def folder(self, upload_id: str) -> Path:
        return Path(self.storage.path(".s3file-multipart")) / uuid.UUID(upload_id).hex

    def create(self, key: str, content_type: str) -> str:
        upload_id = uuid.uuid4().hex
        self.folder(upload_id).mkdir(parents=True)
        return upload_id

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        base = get_script_prefix() + conf.get("S3FILE_ENDPOINT_PATH") + "multipart/part/"
        expires = int(time.time()) + conf.get("S3FILE_EXPIRES")
        handle = sign_upload(upload)
        return {
            n: base
            + "?"
            + urlencode(
                {
                    "upload": handle,
                    "partNumber": n,
                    "expires": expires,
                    "signature": part_signature(handle, n, expires),
                }
            )
            for n in numbers
        }

    def list_parts(self, upload: Upload) -> list[dict[str, Any]]:
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise MultipartError(404, "This upload no longer exists.", "missing")
        return [
            {"partNumber": int(p.name), "size": p.stat().st_size, "etag": etag(p)}
            for p in sorted(folder.iterdir())
            if p.name.isdigit()
        ]

    def complete(self, upload: Upload) -> None:
        parts = check_complete(upload, self.list_parts(upload), self.abort)
        target = Path(self.storage.path(upload.key))
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = self.folder(upload.upload_id)
        with open(target, "wb") as out:
            for part in parts:
                with open(folder / str(part["partNumber"]), "rb") as source:
                    shutil.copyfileobj(source, out, MiB)
        shutil.rmtree(folder)

    def abort(self, upload: Upload) -> None:
        shutil.rmtree(self.folder(upload.upload_id), ignore_errors=True)

    def write_part(self, upload: Upload, number: int, stream: Any, content_md5: str) -> str:
        """Store part ``number`` read from ``stream``; check Content-MD5 as S3 does."""
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise MultipartError(404, "This upload no longer exists.", "missing")
        digest = hashlib.md5(usedforsecurity=False)
        partial = folder / f".{number}.partial"
        with open(partial, "wb") as out:
            while chunk := stream.read(MiB):
                digest.update(chunk)
                out.write(chunk)
        if content_md5 and base64.b64encode(digest.digest()).decode() != content_md5:
            partial.unlink()
            raise MultipartError(400, "The Content-MD5 you specified did not match.", "BadDigest")
        partial.replace(folder / str(number))
        return f'"{digest.hexdigest()}"'


def part_signature(handle: str, number: int, expires: int) -> str:
    return salted_hmac(SALT, f"{handle}:{number}:{expires}", algorithm="sha256").hexdigest()


def check_part_signature(handle: str, number: int, expires: int, signature: str) -> None:
    if not constant_time_compare(signature, part_signature(handle, number, expires)):
        raise MultipartError(403, "The request signature does not match.", "SignatureDoesNotMatch")
    if expires < time.time():
        raise MultipartError(403, "Request has expired.", "AccessDenied")


def etag(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(MiB):
            digest.update(chunk)
    return f'"{digest.hexdigest()}"'
