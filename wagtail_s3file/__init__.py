"""Wagtail's image and document uploads, straight from the browser to S3."""
