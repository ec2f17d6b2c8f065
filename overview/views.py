"""The chair's committee page: what needs the chair's attention across the apps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cccc import access
from cccc.account_views import waiting_panel
from cccc.models import Role
from cccc.policies import review_warning
from disclosures.access import break_glass_alerts
from disclosures.legal_access import summonses_for


@login_required
def committee(request):
    access.require_role(request.membership, Role.CHAIR)
    return render(
        request,
        "overview/committee.html",
        {
            "centre": request.membership.centre,
            # Break-glass releases waiting for the chair's acknowledgement (SPEC §5).
            "break_glass_alerts": break_glass_alerts(request.membership.centre_id),
            # The centre's open witness summonses (CHE-WS), oldest hearing first, read through
            # the one access helper for summonses: IDs, dates and courts only.
            "summonses": list(
                summonses_for(request.membership)
                .holding()
                .defer("case_number", "notes")
                .order_by("hearing_on", "received_on", "pk")
            ),
            "policy_warning": review_warning(request.membership.centre),
            # Coordinator accounts the operator made, waiting for the chair (issue 14).
            **waiting_panel(request.membership),
        },
    )
