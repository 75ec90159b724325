from django import template

register = template.Library()


@register.filter
def stars(n: int | None) -> str:
    """★★☆ style: filled stars for the count (a title carries at most three)."""
    return "★" * max(int(n or 0), 0)
