from __future__ import annotations

from s3file.middleware import S3FileMiddleware


class CustomS3FileMiddleware(S3FileMiddleware):
    pass
