"""The referrer portal: their own referrals' status and attendance requests, nothing else."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cccc.access import require_role
from cccc.models import Role


@login_required
def portal(request):
    require_role(request.user, Role.REFERRER)
    return render(request, "families/referrer_portal.html", {"centre": request.user.centre})
