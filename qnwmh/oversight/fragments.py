"""What oversight's Jinja2 fragments (``core.fragments``) call beside the shared globals."""

from __future__ import annotations

from django.utils.html import conditional_escape

# Django's escaping for text that may hold an apostrophe (English labels, names): markupsafe
# writes ``&#39;`` where Django writes ``&#x27;``, and the rows must stay byte-identical.
GLOBALS = {"esc": conditional_escape}
