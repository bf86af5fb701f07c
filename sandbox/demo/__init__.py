"""The sandbox's demo app: a public upload form, an admin model with files, a Wagtail page."""
