"""Sign-in backend: a volunteer works, and stays signed in, only while appointed with a
current clear DBS check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHE-2).

With memberships (issue 19) the gate is per membership: a person whose volunteering at one
centre has lapsed may still work in their other memberships, never in that one. Django asks
`user_can_authenticate` both at sign-in and when it loads the user of a session on every
request, so a person left with no usable membership is signed out at their next request,
and the membership in use is chosen only among the usable ones
(cccc.middleware.MembershipMiddleware reads `user.usable_memberships`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Prefetch

from cccc.models import Membership, Role


def usable_memberships(user) -> list[Membership]:
    """The person's memberships they may work in now, in the switcher's order."""
    if "usable_memberships" not in user.__dict__:
        user.__dict__["usable_memberships"] = list(
            Membership.objects.usable().filter(user_id=user.pk).select_related("centre")
        )
    memberships = user.__dict__["usable_memberships"]
    volunteering = [m for m in memberships if m.role == Role.VOLUNTEER]
    if volunteering and "_volunteer_gate" not in user.__dict__:
        from volunteers.models import Volunteer

        records = {
            v.centre_id: v
            for v in Volunteer.objects.filter(
                user_id=user.pk, centre_id__in=[m.centre_id for m in volunteering]
            ).select_related("centre")
        }
        user.__dict__.setdefault("_volunteer_records", {}).update(records)
        user.__dict__["_volunteer_gate"] = True
        from django.utils import timezone

        today = timezone.localdate()
        user.__dict__["usable_memberships"] = [
            m
            for m in memberships
            if m.role != Role.VOLUNTEER
            or (m.centre_id in records and not records[m.centre_id].work_problems(today))
        ]
    return user.__dict__["usable_memberships"]


class VolunteerGateBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user with their usable memberships and those memberships' centres:
        two queries on each request (a volunteer's records: one more)."""
        User = get_user_model()
        try:
            user = User._default_manager.prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.usable().select_related("centre"),
                    to_attr="usable_memberships",
                )
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return bool(usable_memberships(user))
