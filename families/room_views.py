"""The centre's rooms, for its coordinator: the list, a new room, a room changed. Only the
coordinator of the room's centre reaches these pages; everyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from families import room_services
from families.access import get_room_for, rooms_for
from families.room_forms import RoomForm


@login_required
@require_GET
def room_list(request):
    require_role(request.membership, Role.COORDINATOR)
    return render(
        request,
        "families/room_list.html",
        {"rooms": rooms_for(request.membership).order_by("name")},
    )


def _page(request, form, *, title: str, submit: str):
    return render(
        request, "families/room_form.html", {"form": form, "title": title, "submit": submit}
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_add(request):
    require_role(request.membership, Role.COORDINATOR)
    form = RoomForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            room = room_services.room_create(
                centre=request.membership.centre,
                name=form.cleaned_data["name"],
                capacity=form.cleaned_data["capacity"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{room.name} added.")
            return redirect("room_list")
    return _page(request, form, title="Add a room", submit="Add the room")


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request, pk: int):
    room = get_room_for(request.membership, pk)
    title = f"Change {room.name}"
    form = RoomForm(
        request.POST or None,
        initial={"name": room.name, "capacity": room.capacity, "in_use": room.in_use},
    )
    if request.method == "POST" and form.is_valid():
        try:
            room_services.room_update(room=room, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{room.name} saved.")
            return redirect("room_list")
    return _page(request, form, title=title, submit="Save")
