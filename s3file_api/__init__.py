"""Direct uploads for APIs: Django REST framework's and django-ninja's fields for the values
of uploads made through ``s3file.api``, and a Python client that makes them."""
