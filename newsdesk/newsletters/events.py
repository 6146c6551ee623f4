"""What this app tells other apps (the outbound webhooks listen), as Django signals.

Declared here rather than in signals.py, which holds this app's own receivers and imports
tasks.py and sending.py: sending sends these, and would import its importer.
"""

from django.dispatch import Signal

# Sent once, after commit, when the last delivery of an edition is done and the edition is
# marked sent. Arguments: edition.
edition_sent = Signal()
