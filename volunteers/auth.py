"""Sign-in backend: a volunteer signs in, and stays signed in, only while appointed with a
current clear DBS check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHE-2).

Django asks `user_can_authenticate` both at sign-in and when it loads the user of a session
on every request, so a volunteer whose clearance lapses or who resigns is signed out at their
next request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cccc.models import Role


class VolunteerGateBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user with their centre, which nearly every page reads, and a
        volunteer's record, which the gate below reads: one query on each request."""
        User = get_user_model()
        try:
            user = User._default_manager.select_related("centre", "volunteer").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if getattr(user, "role", None) != Role.VOLUNTEER:
            return True
        from volunteers.access import portal_problems

        return not portal_problems(user)
