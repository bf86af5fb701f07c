"""Django admin integration: admin file fields upload directly, with the admin's look."""
