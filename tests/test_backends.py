"""The backend seam: one backend per storage, storage errors, and a storage that stays
copyable and picklable with its backend kept on it."""

from __future__ import annotations

import copy
import pickle

import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import storages

from s3file.backends import Changed, LocalBackend, Missing, StorageError, backend


@pytest.mark.usefixtures("dev_storage")
def test_one_backend_per_storage(settings):
    first = backend()
    assert isinstance(first, LocalBackend)
    assert backend() is first is backend(storages["default"])
    settings.STORAGES = {**settings.STORAGES}  # Django builds a new storage: a new backend
    assert backend() is not first
    assert backend() is backend()


@pytest.mark.usefixtures("dev_storage")
def test_the_dev_backend_follows_the_setting_each_time(settings):
    assert backend() is not None
    settings.S3FILE_DEV_ENDPOINT = False
    assert backend() is None


@pytest.mark.usefixtures("dev_storage")
def test_a_copied_or_pickled_storage_builds_a_backend_of_its_own():
    storage = storages["default"]
    kept = backend(storage)
    for other in (copy.deepcopy(storage), pickle.loads(pickle.dumps(storage))):
        assert backend(other) is not kept
        assert backend(other).storage is other


@pytest.mark.s3
def test_an_s3_storage_with_its_backend_still_pickles(s3):
    """The backend holds a boto3 client, which pickles not; the storage pickles without it."""
    storage = storages["default"]
    found = backend(storage)
    assert storage.backend() is found  # S3OptimizedUploadStorage asks the seam
    restored = pickle.loads(pickle.dumps(storage))
    assert backend(restored) is not found
    assert backend(restored).bucket == found.bucket


def test_storage_errors_are_one_family_and_changed_is_a_400_where_uncaught():
    assert issubclass(Missing, StorageError)
    assert issubclass(Changed, StorageError) and issubclass(Changed, SuspiciousOperation)


@pytest.mark.usefixtures("dev_storage")
def test_the_dev_backend_reads_only_its_pending_folder(dev_storage):
    (dev_storage / "tmp" / "s3file").mkdir(parents=True)
    (dev_storage / "tmp" / "s3file" / "a.txt").write_bytes(b"in MEDIA_ROOT")
    store = backend()
    with pytest.raises(Missing):
        store.head("tmp/s3file/a.txt")
    with pytest.raises(Missing):
        store.open("tmp/s3file/a.txt", 0, "")
    with pytest.raises(Missing):
        store.head("tmp/s3file/../../../etc/passwd")
