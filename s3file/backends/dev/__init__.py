"""The dev backend: S3's part of a direct upload, played by this Django process while the
default storage is a ``FileSystemStorage``: ``storage`` keeps the uploads (in a folder the
site does not serve), ``http`` is the endpoint browsers POST them to."""
