from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cccc.access import require_role
from cccc.models import Role


@login_required
def portal(request):
    require_role(request.user, Role.VOLUNTEER)
    return render(request, "volunteers/portal.html", {"centre": request.user.centre})
