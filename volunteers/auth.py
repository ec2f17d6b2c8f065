"""Sign-in backend: a volunteer signs in, and stays signed in, only while appointed with a
current clear DBS check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHE-2).

Django asks `user_can_authenticate` both at sign-in and when it loads the user of a session
on every request, so a volunteer whose clearance lapses or who resigns is signed out at their
next request.
"""

from django.contrib.auth.backends import ModelBackend

from cccc.models import Role


class VolunteerGateBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if getattr(user, "role", None) != Role.VOLUNTEER:
            return True
        from volunteers.access import portal_problems

        return not portal_problems(user)
