from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cccc.access import require_role
from cccc.models import Role


@login_required
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    return render(request, "families/dashboard.html", {"centre": request.user.centre})


@login_required
def family_list(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def family_search(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def family_create(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def family_detail(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def family_edit(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def adult_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def adult_edit(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def contact_reveal(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def acknowledgement_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def child_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def child_edit(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def keep_apart_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def keep_apart_remove(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def concern_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def concern_close(request, *args, **kwargs):
    raise Http404  # not built yet
