"""What this app tells other apps beyond Wagtail's page signals (the outbound webhooks listen).

Kept apart from signals.py, which holds this app's own receivers.
"""

from django.dispatch import Signal

# Sent after commit when a correction or clarification is published on an article
# (corrections.correction_add). Arguments: correction.
correction_added = Signal()
