"""What this app tells other apps (the outbound webhooks listen), as Django signals.

Declared here rather than in signals.py, which holds this app's own receivers and imports
services.py: services sends these, and would import its importer.
"""

from django.dispatch import Signal

# Sent once the transaction that stored it has committed, for a comment held for moderation
# (the filter or a rule held it; not spam or trash). Arguments: comment.
comment_held = Signal()
