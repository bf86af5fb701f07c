"""The script's side of a direct upload, for tests of uploads saved where they lie
(``S3FILE_CLAIM``): render a form, upload into what its input grants, post the key back."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

import requests

from tests.hardening import file_inputs


def inputs(client: Any, url: str) -> dict[str, dict[str, str]]:
    """The file inputs of the page at ``url``, by name, with their attributes."""
    response = client.get(url)
    assert response.status_code == 200
    return file_inputs(response.content.decode())


def key_template(attrs: dict[str, str]) -> str:
    return str(json.loads(attrs["data-s3f-fields"])["key"])


def upload(
    client: Any,
    attrs: dict[str, str],
    name: str,
    body: bytes,
    content_type: str = "application/octet-stream",
) -> str:
    """Upload ``body`` as the script does with the input ``attrs``: one POST with the policy,
    or in parts above the input's multipart threshold; the key it went to."""
    fields = json.loads(attrs["data-s3f-fields"])
    key = fields["key"].replace("${filename}", f"{secrets.token_hex(8)}/{name}")
    multipart = json.loads(attrs["data-s3f-multipart"])
    if not (multipart["threshold"] and len(body) > multipart["threshold"]):
        data = {**fields, "key": key, "Content-Type": content_type}
        answer = requests.post(
            attrs["data-s3f-url"], data=data, files={"file": (name, body)}, timeout=60
        )
        assert answer.status_code == 201, answer.text
        return key
    token = attrs["data-s3f-signature"]
    create = {"token": token, "key": key, "size": len(body), "contentType": content_type}
    created = api(client, multipart["url"], "create", create)
    size, md5s = created["partSize"], []
    for number in range(1, created["parts"] + 1):
        part = body[(number - 1) * size : number * size]
        answer = requests.put(created["urls"][str(number)], data=part, timeout=60)
        assert answer.status_code == 200, answer.text
        md5s.append(base64.b64encode(hashlib.md5(part).digest()).decode())
    api(client, multipart["url"], "complete", {"upload": created["upload"], "md5": md5s})
    return key


def api(client: Any, base: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(f"{base}{action}/", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    found: dict[str, Any] = answer.json()
    return found


def submit(client: Any, url: str, attrs: dict[str, str], field: str, key: str, **data: Any) -> Any:
    """Post the form with ``key`` in ``field``, as the script does after uploading."""
    posted = {"s3file": field, field: key, f"{field}-s3f-signature": attrs["data-s3f-signature"]}
    return client.post(url, {**data, **posted})


def tags(s3: Any, key: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = s3.client.get_object_tagging(Bucket=s3.name, Key=key)["TagSet"]
    return found
