"""Placeholder; its issue fills it."""
