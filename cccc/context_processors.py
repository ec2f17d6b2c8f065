"""The navigation for the signed-in user's role: none before the two-factor step."""

from django.db import connection
from django.urls import reverse

from cccc.models import Membership, Role, User

NAVIGATION = {
    Role.COORDINATOR: [
        ("Dashboard", "dashboard"),
        ("Families", "family_list"),
        ("Sessions", "day_view"),
        ("Referrals", "referral_list"),
        ("Disclosures", "disclosure_register"),
        ("Legal", "legal_home"),
        ("Volunteers", "volunteer_list"),
        ("Retention", "retention_screen"),
        ("Statistics", "quarterly_statistics"),
        ("People", "people"),
        ("Audit trail", "audit_trail"),
    ],
    Role.CHAIR: [
        ("Committee", "committee"),
        ("Disclosures", "disclosure_register"),
        ("Legal", "legal_home"),
        ("Retention", "retention_annual"),
        ("Statistics", "quarterly_statistics"),
        ("Audit trail", "audit_trail"),
    ],
    Role.VOLUNTEER: [
        ("My sessions", "volunteer_portal"),
        ("My availability", "portal_availability"),
    ],
    Role.REFERRER: [("My referrals", "referrer_portal")],
    Role.OPERATOR: [("Centres", "operator"), ("Network statistics", "network_statistics")],
}


# Whether the centre has an active chair, asked on every coordinator page: a fixed statement,
# since the ORM's building of the same EXISTS query cost about as much CPU as the rest of the
# context processors together. Same conditions as
# Membership.objects.filter(centre_id=..., role=CHAIR, is_active=True, user__is_active=True).
_ACTIVE_CHAIR = (
    f'SELECT 1 FROM "{Membership._meta.db_table}" m'  # noqa: S608
    f' INNER JOIN "{User._meta.db_table}" u ON m."user_id" = u."id"'
    ' WHERE m."centre_id" = %s AND m."role" = %s AND m."is_active" AND u."is_active" LIMIT 1'
)


def has_active_chair(centre_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_CHAIR, [centre_id, Role.CHAIR.value])
        return cursor.fetchone() is not None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if user.needs_two_factor and not user.is_verified():
        # Signed in with a password only: nothing to navigate to, and nothing of the centre
        # shown, until the two-factor step is done (the middleware lets no other page through).
        return {"nav_items": [], "two_factor_pending": True}
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": []}
    # Everything below is of the membership in use (issue 19), never of the person.
    items = [(label, reverse(name)) for label, name in NAVIGATION.get(membership.role, [])]
    if membership.centre_id is not None:
        # Every user of a centre can read its confidentiality policy (CHI-4.10, CHE-11);
        # the coordinator and chair also keep its versions.
        managing = membership.role in (Role.COORDINATOR, Role.CHAIR)
        items.append(("Policy", reverse("policy_versions" if managing else "policy_current")))
        if managing:
            items.append(("Settings", reverse("centre_settings", args=[membership.centre_id])))
    # The switcher: the person's own usable memberships, when they have more than one.
    memberships = getattr(user, "usable_memberships", None) or []
    context = {
        "nav_items": items,
        "membership": membership,
        "other_memberships": [m for m in memberships if m != membership],
    }
    if membership.role == Role.COORDINATOR:
        # Until the centre has a chair, nobody inside it oversees its coordinators (issue 14).
        context["no_active_chair"] = not has_active_chair(membership.centre_id)
    return context
