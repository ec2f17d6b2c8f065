"""Contact sessions: booking with keep-apart checks, attendance, notes, day and week views."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def session_book(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def session_detail(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def session_cancel(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def attendance_record(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def note_add(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def day_view(request, *args, **kwargs):
    raise Http404  # not built yet


@login_required
def week_view(request, *args, **kwargs):
    raise Http404  # not built yet
