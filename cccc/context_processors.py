"""The navigation for the signed-in user's role."""

from django.urls import reverse

from cccc.models import Role

NAVIGATION = {
    Role.COORDINATOR: [
        ("Dashboard", "dashboard"),
        ("Families", "family_list"),
        ("Sessions", "day_view"),
        ("Referrals", "referral_list"),
        ("Volunteers", "volunteer_list"),
        ("People", "people"),
    ],
    Role.CHAIR: [("Committee", "committee")],
    Role.VOLUNTEER: [("My sessions", "volunteer_portal")],
    Role.REFERRER: [("My referrals", "referrer_portal")],
    Role.OPERATOR: [("Centres", "operator")],
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(label, reverse(name)) for label, name in NAVIGATION.get(user.role, [])]
    return {"nav_items": items}
