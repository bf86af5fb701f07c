from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from django.core.files.base import File
from django.core.files.storage import Storage
from mypy_boto3_s3.service_resource import Bucket, Object, S3ServiceResource

class S3File(File[bytes]):
    _storage: S3Storage
    obj: Object
    def __init__(
        self, name: str, mode: str, storage: S3Storage, buffer_size: int | None = None
    ) -> None: ...

class S3Storage(Storage):
    # The options of ``get_default_settings()``, set on the instance.
    access_key: str | None
    secret_key: str | None
    security_token: str | None
    session_profile: str | None
    file_overwrite: bool
    object_parameters: dict[str, Any]
    bucket_name: str
    querystring_auth: bool
    querystring_expire: int
    signature_version: str | None
    location: str
    custom_domain: str | None
    addressing_style: str | None
    file_name_charset: str
    gzip: bool
    gzip_content_types: tuple[str, ...]
    url_protocol: str
    endpoint_url: str | None
    proxies: dict[str, str] | None
    region_name: str | None
    use_ssl: bool
    verify: bool | str | None
    max_memory_size: int
    default_acl: str | None
    use_threads: bool
    transfer_config: TransferConfig
    client_config: Config
    def __init__(self, **settings: Any) -> None: ...
    def get_default_settings(self) -> dict[str, Any]: ...
    @property
    def connection(self) -> S3ServiceResource: ...
    @property
    def bucket(self) -> Bucket: ...
    def _save(self, name: str, content: File[Any]) -> str: ...
    def _normalize_name(self, name: str) -> str: ...
    def _get_write_parameters(self, name: str, content: Any = None) -> dict[str, Any]: ...
    def get_object_parameters(self, name: str) -> dict[str, Any]: ...

class S3Boto3Storage(S3Storage): ...
