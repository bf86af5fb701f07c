"""The upload rules: what a rendered input grants the browser, and every check of it.

One grant (folder, largest size, Content-Type condition, signed with a timestamp) is made
here when a form renders and checked here wherever a browser comes back with it: by the dev
endpoint before it stores a byte, by the multipart API before it starts an upload, and by the
middleware and ``S3UploadedFile`` when the form is posted. S3 enforces the same grant, as the
POST policy ``conditions()`` writes. A rule added here holds for S3 and the dev storage alike.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import posixpath
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from . import conf
from .compat import csrf_secret
from .signing import sign_tuple, unsign_tuple

if TYPE_CHECKING:
    from django.http import HttpRequest

SALT = "s3file.grant"
#: How many times ``S3FILE_EXPIRES`` a grant's keys may be posted back with a form: an
#: upload may start until the grant expires, and a large one needs the rest to finish.
POSTED_LIFETIME = 2
#: S3 refuses a single POST above 5 GiB; larger files need multipart upload.
POST_MAX_SIZE = 5 * 1024**3
#: S3's largest object.
MAX_OBJECT_SIZE = 5 * 1024**4
#: The form field a browser may add with the file's SHA-1 (base64); S3 verifies it.
CHECKSUM_FIELD = "x-amz-checksum-sha1"
#: The checksum's hash (for integrity, not security: FIPS builds allow it so).
SHA1 = functools.partial(hashlib.sha1, usedforsecurity=False)
#: A Content-Type condition of an S3 POST policy: ``[op, "$Content-Type", value]``.
Condition = list[str]
# What no key may hold, URL-decoded or not: control characters (never in a browser's file
# name), backslashes (only in attacks), a leading "/" or a ".." segment.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]|^/|(?:^|/)\.\.(?:/|\Z)")


class Grant(NamedTuple):
    """What one rendered input may upload: files into ``folder``, of at most ``max_size``
    bytes, whose Content-Type meets ``content_type`` (the strictest condition S3 can check)
    and whose name and type meet ``accept`` (the input's list, item by item); posted back
    only under ``field`` (its rendered name) from the browser of ``binding`` (a hash of its
    CSRF secret, see ``binding()``), to one of ``paths``: the URL path of the view that
    rendered the input, and those its page declared it posts to (``offered_at()``). An API grant
    (``s3file.api``) names its API field instead, is bound to a user (``user_binding()``)
    and to no view."""

    folder: str
    max_size: int
    content_type: Condition
    accept: str = ""
    field: str = ""
    binding: str = ""
    paths: Sequence[str] = ()


class Refused(SuspiciousOperation):
    """An upload the rules refuse; ``code`` says which rule: ``key`` (malformed), ``folder``
    (outside its folder), ``too-large``, ``type``, ``field`` (posted as another field),
    ``view`` (posted to another view than the one that offered it),
    ``binding`` (from another browser session: another browser, or the same one after a
    login rotated its CSRF secret), ``repeated`` (one key posted twice in one request)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"s3file: {message}")
        self.code = code


def sign_grant(grant: Grant) -> str:
    """The signed grant, as the form carries it."""
    return sign_tuple(SALT, grant)


def unsign_grant(value: str, max_age: int | None = None) -> Grant:
    """The grant signed into ``value``; SuspiciousOperation if forged or older than
    ``max_age`` (default: ``S3FILE_EXPIRES``, the grant's one lifetime: S3's POST policy, the
    dev endpoint and the multipart API all stop starting uploads with it then).

    Only the keys a browser posts back with a form are taken for longer (``POSTED_LIFETIME``
    times as long), so an upload started just before the grant expired can still be submitted.
    """
    age = conf.get("S3FILE_EXPIRES") if max_age is None else max_age
    grant = unsign_tuple(SALT, value, Grant, "upload signature", age)
    return grant._replace(paths=tuple(grant.paths))  # JSON made it a list


def posted_lifetime() -> int:
    """Seconds a grant's keys may be posted back with a form (``POSTED_LIFETIME``)."""
    return POSTED_LIFETIME * int(conf.get("S3FILE_EXPIRES"))


def new_grant(
    prefix: str,
    max_size: int,
    accept: str,
    field: str = "",
    binding: str = "",
    paths: Sequence[str] = (),
    final: bool = False,
) -> Grant:
    """What a freshly rendered input with this ``accept`` and size limit may upload: a new
    folder under ``prefix`` (the backend's ``upload_prefix()``), posted back as ``field``
    from the browser of ``binding`` to one of ``paths`` (``offered_at()``). ``final``: a
    folder files are saved in, whose keys become file names (a ``FileField`` holds 100
    characters by default), so its random part is 64 bits, not 128; the script adds 64 more
    for each file."""
    condition = content_type_condition(accept)
    folder = prefix + (secrets.token_hex(8) if final else uuid.uuid4().hex)
    accept = normal_accept(accept)
    return Grant(folder, max_size, condition, accept, field, binding, tuple(paths))


def check_key(key: str, folders: str | list[str], nested: bool = True) -> str:
    """Return ``key`` if it names a file inside one of ``folders``; else ``Refused``.

    The key must be a plain relative name: no ``..``, backslash, control character, absolute
    path, empty or doubled segment, nor a URL-encoded form of a traversal. ``nested``: in a
    subfolder of its own, as the script puts each file (``folder/<random>/<name>``, so two
    files of one name never share a key). S3's policy can only ask for the folder, so the dev
    endpoint checks no more than that."""
    if not key or posixpath.normpath(key) != key or _FORBIDDEN.search(unquote(key)):
        raise Refused("key", f"malformed key {key!r}")
    folders = [folders] if isinstance(folders, str) else folders
    folder = next((f for f in folders if key.startswith(f + "/")), None)
    if folder is None:
        raise Refused("folder", f"key {key!r} is outside its signed folder")
    if nested and "/" not in key[len(folder) + 1 :]:
        raise Refused("folder", f"key {key!r} sits at its folder's root")
    return key


def check_file(max_size: int, accept: str, name: str, size: int, content_type: str | None) -> str:
    """The Content-Type to keep for a file ``name`` of ``size`` bytes and ``content_type``
    (None: unknown) under a limit of ``max_size`` and ``accept``; ``Refused`` if they
    exclude it.

    ``accept`` is read item by item, as browsers read the attribute: ``.ext`` items match the
    name, and the type kept is the extension's; ``type/sub`` and ``type/*`` items match
    ``content_type`` (None, or the empty string: unknown, which no type item matches), which
    is kept. Without items every file passes, with its name's type.
    """
    if size > max_size:
        raise Refused("too-large", f"{size} bytes is more than {max_size}")
    items = accept_items(accept)
    fallback = name_type(name) or "application/octet-stream"
    lowered = name.lower()
    kind = (content_type or "").lower().split(";")[0].strip()  # without its parameters
    for item in items:
        if item in ("*", "*/*"):
            return kind or fallback
        if item.startswith("."):
            if lowered.endswith(item):
                return name_type("file" + item) or fallback
        elif kind and (kind == item or (item.endswith("/*") and kind.startswith(item[:-1]))):
            return kind
    if items:
        raise Refused("type", f"{name!r} of type {content_type!r} is not in {accept!r}")
    return fallback


def check_upload(
    grant: Grant, key: str, size: int, content_type: str, post: bool = False, by_name: bool = False
) -> str:
    """Refuse an upload of ``key`` that ``grant`` does not allow, else return the
    Content-Type to store. ``post``: one presigned POST, which carries at most
    ``POST_MAX_SIZE`` and whose policy can only ask for the folder (a multipart upload takes
    up to ``MAX_OBJECT_SIZE``, at a key of the script's form). ``content_type`` must meet the
    grant's policy condition, as S3 checks it, and the accept list; ``by_name``: a storage
    that serves a file as its name says (``FileSystemStorage``), so the name's type must be
    accepted."""
    largest = POST_MAX_SIZE if post else MAX_OBJECT_SIZE
    check_key(key, grant.folder, nested=not post)
    if size > min(grant.max_size, largest):
        raise Refused("too-large", f"{size} bytes is more than {grant.max_size}")
    # The policy condition, ``eq`` or ``starts-with``, as S3 checks it.
    op, _, expected = grant.content_type
    if not (content_type == expected if op == "eq" else content_type.startswith(expected)):
        raise Refused("type", f"type {content_type!r} is not accepted")
    name = posixpath.basename(key)
    kind = name_type(name) if by_name else content_type
    return check_file(min(grant.max_size, largest), grant.accept, name, size, kind)


def conditions(grant: Grant) -> list[object]:
    """The grant as S3 POST policy conditions, but the key (boto3 adds that)."""
    return [
        {"success_action_status": "201"},
        ["content-length-range", 0, min(grant.max_size, POST_MAX_SIZE)],
        grant.content_type,
        # Optional (it may be empty); when present, S3 refuses a body that does not match.
        ["starts-with", "$" + CHECKSUM_FIELD, ""],
    ]


def extension_types(accept: str) -> dict[str, str]:
    """The Content-Type to store for each ``.ext`` in ``accept``: browsers disagree on some
    (Windows calls a .csv application/vnd.ms-excel), the policy must not."""
    found = {ext: name_type("file" + ext) for ext in accept_items(accept) if ext[0] == "."}
    return {ext: kind for ext, kind in found.items() if kind}


def content_type_condition(accept: str) -> Condition:
    """Turn an ``accept`` attribute into the strictest Content-Type condition S3 can check.

    A policy cannot say "one of", so a list becomes a starts-with of what its types share
    (``image/png,image/jpeg`` -> ``image/``); the browser checks the exact list before uploading.
    """
    types = {(name_type("file" + i) or "") if i[0] == "." else i for i in accept_items(accept)}
    types = {kind.removesuffix("*") if kind.endswith("/*") else kind for kind in types}
    # Any type, an extension without a known type, or nonsense: no condition.
    if not types or any("/" not in kind or kind == "*/" for kind in types):
        return ["starts-with", "$Content-Type", ""]
    op = "eq" if len(types) == 1 and not next(iter(types)).endswith("/") else "starts-with"
    return [op, "$Content-Type", posixpath.commonprefix(list(types))]


def accept_items(accept: str) -> list[str]:
    """The items of an ``accept`` attribute, trimmed and lower-cased."""
    return [item for item in (i.strip().lower() for i in accept.split(",")) if item]


def normal_accept(accept: str) -> str:
    """``accept`` as the grant keeps it: its items, comma-joined."""
    return ",".join(accept_items(accept))


def name_type(name: str) -> str | None:
    """The Content-Type of a file called ``name``, from its extension (None: unknown)."""
    return mimetypes.guess_type(name, strict=False)[0]


#: Formset row indexes (and the admin's template row, ``__prefix__``) in a field's name,
#: which a grant's field need not match: the admin's "Add another" turns
#: ``rows-__prefix__-file`` into ``rows-3-file``, and removing a row renumbers the rest.
_ROW = re.compile(r"(?<=-)(?:\d+|__prefix__)(?=-)")
BINDING_SALT = "s3file.binding"


def binding(request: HttpRequest | None) -> str:
    """What ties a grant to the browser it was rendered for: a hash of its CSRF secret
    (never the secret itself, which the page must not show); "" without one."""
    secret = csrf_secret(request) if request is not None else ""
    return salted_hmac(BINDING_SALT, secret, algorithm="sha256").hexdigest()[:32] if secret else ""


def check_browser(bound: str, request: HttpRequest) -> None:
    """Refuse (``Refused``, code ``binding``) what was bound to ``bound`` (a ``binding()``)
    when ``request`` comes from another browser; "" is bound to none, and always refused."""
    if not bound or not constant_time_compare(bound, binding(request)):
        raise Refused("binding", "signed for another browser session")


def offered_at(request: HttpRequest | None, posts_to: Iterable[str] = ()) -> tuple[str, ...]:
    """The URL paths an input rendered in ``request`` may have its keys posted to: the
    request's own path (the view that rendered it), and each of ``posts_to``, a URL path
    ("/api/upload/") or the name of a URL without arguments ("api:upload"), where the page's
    form posts elsewhere (a ``formaction``, a script, a modal's form). Nowhere without a
    request."""
    if request is None:
        return ()
    paths = [request.path]
    for target in posts_to:
        paths.append(target if target.startswith("/") else reverse(target))
    return tuple(dict.fromkeys(paths))


def check_view(grant: Grant, request: HttpRequest) -> None:
    """Refuse (``Refused``, code ``view``) a grant whose keys are posted to another URL than
    the view that rendered its input, or one its page declared (``Grant.paths``)."""
    if request.path not in grant.paths:
        raise Refused("view", f"grant for {list(grant.paths)} posted to {request.path!r}")


def user_binding(user: Any) -> str:
    """What ties an API grant (``s3file.api``) to the user it was given to: "u" and a hash of
    the user model and primary key; "" for an anonymous user or None. A browser's
    ``binding()`` is hex, so the two never meet."""
    if user is None or not user.is_authenticated:
        return ""
    identity = f"user:{user._meta.label_lower}:{user.pk}"
    return "u" + salted_hmac(BINDING_SALT, identity, algorithm="sha256").hexdigest()[:31]


def check_user(grant: Grant, field: str, user: Any) -> None:
    """Refuse (``Refused``) a grant used for another API field than the one it was given
    for (code ``field``), or by another user than the one it was given to (``binding``)."""
    if not grant.field or grant.field != field:
        raise Refused("field", f"grant for field {grant.field!r} used for {field!r}")
    bound = user_binding(user)
    if not bound or not constant_time_compare(grant.binding, bound):
        raise Refused("binding", "signed for another user")


def check_binding(grant: Grant, field: str, request: HttpRequest) -> None:
    """Refuse (``Refused``) a grant posted under another field than the one it was rendered
    for (code ``field``), to another view than the one that offered it (code ``view``, see
    ``check_view()``), or from another browser session than the one it was rendered in
    (code ``binding``)."""
    if not grant.field or _ROW.sub("__prefix__", field) != _ROW.sub("__prefix__", grant.field):
        raise Refused("field", f"grant for field {grant.field!r} posted as {field!r}")
    check_view(grant, request)
    check_browser(grant.binding, request)


def content_length(request: HttpRequest) -> int:
    """A request body's announced length, past which Django reads nothing; 0 if absent or
    malformed. Endpoints refuse a body too large for them from this, before reading it."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0
