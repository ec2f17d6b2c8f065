"""The one way to read a volunteer record: the coordinators of its own centre."""

from django.shortcuts import get_object_or_404

from cccc.models import Role, User
from volunteers.models import Volunteer


def volunteers_for(user: User):
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return Volunteer.objects.filter(centre_id=user.centre_id)
    return Volunteer.objects.none()


def get_volunteer_for(user: User, pk: int) -> Volunteer:
    return get_object_or_404(volunteers_for(user), pk=pk)
