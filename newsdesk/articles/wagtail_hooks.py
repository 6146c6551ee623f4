from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    # No `search_fields`: Author's own index (name, with autocomplete) is searched. Naming
    # fields here made the SQLite search backend ask its full-text table for a column
    # "name" it does not have, and every search of the listing failed.


register_snippet(AuthorViewSet)
