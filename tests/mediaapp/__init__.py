"""A Wagtail page with a video chooser, installed only where wagtailmedia is."""
