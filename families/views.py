from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cccc.access import require_role
from cccc.models import Role


@login_required
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    return render(request, "families/dashboard.html", {"centre": request.user.centre})
