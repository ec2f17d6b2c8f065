"""The chair's page lists the centre's open witness summonses (CHE-WS). The committee view
belongs to cccc/, so the list is read here, through the one access helper for summonses."""

from django import template

from disclosures.legal_access import summonses_for

register = template.Library()


@register.simple_tag
def open_summonses(user) -> list:
    """The open summonses the user may see (none for anyone but the coordinator and chair),
    oldest hearing first: IDs, dates and courts only."""
    return list(
        summonses_for(user)
        .holding()
        .defer("case_number", "notes")
        .order_by("hearing_on", "received_on", "pk")
    )
