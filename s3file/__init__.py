"""Upload files from the browser straight to S3, then hand them to Django as ``request.FILES``."""
