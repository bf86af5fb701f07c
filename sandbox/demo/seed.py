"""The sandbox's superuser and demo content, created only where missing (reruns keep edits)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile

#: The superuser ``setup_sandbox`` creates; ``run.py`` prints it.
SUPERUSER = ("admin", "admin")
SAMPLE_TEXT = b"A sample file the sandbox's set-up saved into the default storage.\n"


def sample_png(width: int = 960, height: int = 540) -> bytes:
    """A small generated picture, so the sandbox ships no binary files."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "#0c4b5f")
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 40):
        draw.line([(i, 0), (width - i, height)], fill="#3fa7c4", width=3)
    draw.rectangle([40, height - 140, width - 40, height - 40], fill="#ffffff")
    draw.text((60, height - 110), "django-s3file sandbox", fill="#0c4b5f", font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def create_superuser() -> bool:
    """Create the ``SUPERUSER`` unless a user of that name exists; whether it was created."""
    from django.contrib.auth import get_user_model

    username, password = SUPERUSER
    User = get_user_model()  # noqa: N806
    if User.objects.filter(username=username).exists():
        return False
    User.objects.create_superuser(username, f"{username}@example.com", password)
    return True


def seed() -> None:
    """A Wagtail image, document and page, and a report with files for the Django admin.

    Each is created unless one with its title (or slug) exists. Their files are saved into
    the default storage the ordinary way (the browser plays no part here).
    """
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Page, Site

    from .models import Attachment, DemoPage, Report

    png = sample_png()
    image = Image.objects.filter(title="Sandbox sample image").first()
    if image is None:
        image = Image.objects.create(
            title="Sandbox sample image", file=ContentFile(png, name="sandbox-sample.png")
        )
    document = Document.objects.filter(title="Sandbox sample document").first()
    if document is None:
        document = Document.objects.create(
            title="Sandbox sample document",
            file=ContentFile(SAMPLE_TEXT, name="sandbox-sample.txt"),
        )

    if not DemoPage.objects.filter(slug="direct-uploads").exists():
        site = Site.objects.filter(is_default_site=True).first()
        home = site.root_page if site else Page.get_first_root_node()
        home.add_child(
            instance=DemoPage(
                title="Direct uploads",
                slug="direct-uploads",
                image=image,
                document=document,
                body=(
                    "<p>Edit this page in the Wagtail admin: choose another image or "
                    "document, or upload new ones (and a video) from the choosers.</p>"
                    f'<embed embedtype="image" id="{image.pk}" format="left" alt="" />'
                    f'<p>The rich text links a <a linktype="document" id="{document.pk}">'
                    "document</a> too.</p>"
                ),
            )
        )

    if not Report.objects.filter(title="Sample report").exists():
        report = Report.objects.create(
            title="Sample report",
            document=ContentFile(SAMPLE_TEXT, name="sample-report.txt"),
            cover=ContentFile(png, name="sample-cover.png"),
        )
        Attachment.objects.create(
            report=report,
            file=ContentFile(SAMPLE_TEXT, name="sample-attachment.txt"),
            note="Seeded by setup_sandbox",
        )
