"""Images to upload: a small solid one, or noise (which compresses as little as a photo)."""

from __future__ import annotations

import io
import random
from typing import Any


def solid(width: int = 64, height: int = 48, colour: str = "teal", format: str = "PNG") -> bytes:
    """A one-colour image: a few hundred bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format)
    return buffer.getvalue()


def noise(width: int, height: int, seed: int = 0, format: str = "PNG", **options: Any) -> bytes:
    """An image of random pixels, the same for the same ``seed``; its size is about
    width × height × 3 (``options`` go to Pillow's ``save``, e.g. ``quality=90``)."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()
