from django import template

from overview.session_card_html import session_card_html

register = template.Library()

# {{ card|session_card }}: the card as families/session_card.html draws it, drawn in Python.
register.filter("session_card", session_card_html)
