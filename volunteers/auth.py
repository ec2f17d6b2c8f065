"""Sign-in backend: a volunteer works, and stays signed in, only while appointed with a
current clear DBS check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHE-2).

With memberships (issue 19) the gate is per membership: a person whose volunteering at one
centre has lapsed may still work in their other memberships, never in that one. Django asks
`user_can_authenticate` both at sign-in and when it loads the user of a session on every
request, so a person left with no usable membership is signed out at their next request,
and the membership in use is chosen only among the usable ones
(cccc.middleware.MembershipMiddleware reads `user.usable_memberships`).
"""

from django.contrib.auth.backends import ModelBackend

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
        """The session's user, their usable memberships and those memberships' centres, in
        one query read from the memberships' side (a volunteer's records: one more). A person
        with no usable membership has nothing to work in: no user."""
        memberships = list(
            Membership.objects.usable().filter(user_id=user_id).select_related("user", "centre")
        )
        if not memberships:
            return None
        user = memberships[0].user
        for membership in memberships:
            membership.user = user  # one person object, whose membership in use is set
        user.__dict__["usable_memberships"] = memberships
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return bool(usable_memberships(user))
