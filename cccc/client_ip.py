"""The client's address, for login throttling (django-axes locks a (username, address) pair).

Behind `TRUSTED_PROXY_COUNT` reverse proxies, each appending the address it received the
request from to X-Forwarded-For, the client is the entry that many places from the right:
the entries further left were written by the client itself and could be anything. With no
proxy the header is ignored altogether and the socket's address is the client. An entry that
is not an address (a count set higher than the proxies there are lets the client's own text
through) is not used: the socket's address is.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")
