"""Signals of our own, for changes made in bulk (which send no post_save per row)."""

from django.dispatch import Signal

# Sent after units were created, renamed, moved or closed in bulk (the organisation sync),
# so that what is built from unit names and the unit tree is renewed.
units_changed = Signal()
