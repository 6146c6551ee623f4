"""Core has no tables yet; the module exists so post_migrate fires for this app (roles.py)."""
