"""The referrer portal: their own referrals' status and attendance requests, nothing else."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cccc.access import require_role
from cccc.models import Role


@login_required
def portal(request):
    require_role(request.user, Role.REFERRER)
    return render(request, "families/referrer_portal.html", {"centre": request.user.centre})


@login_required
def referral_list(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def referral_create(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def referral_detail(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def referral_decide(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def referral_review(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def referrer_refer(request, *args, **kwargs):
    raise Http404  # not built yet
