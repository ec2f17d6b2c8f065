from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """{{ mapping|dict_get:key }}: a dict lookup with a variable key (None when absent)."""
    if not mapping:
        return None
    return mapping.get(key)
