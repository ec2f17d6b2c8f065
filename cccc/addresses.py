"""A page's address for many records at once, for the lists drawn in Python: `reverse` once,
then each record's id put in its place (a `reverse` per row cost as much as drawing the row).
The id goes into the address as the URL pattern's converter would put it: a number, or a date
as YYYY-MM-DD."""

from collections.abc import Callable

from django.urls import reverse

_MARK = "987654321"  # stands in for the id: digits, so every converter of ours takes it


def each_address(name: str) -> Callable[[object], str]:
    """`address(pk)` for the URL pattern `name`, whose one argument is the record's id."""
    prefix, suffix = reverse(name, args=[_MARK]).split(_MARK)
    return lambda key: f"{prefix}{key}{suffix}"
