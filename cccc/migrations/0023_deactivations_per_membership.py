"""An account deactivated before memberships (issue 19) was switched off as a person: its one
membership becomes the deactivated one, and the person active again, so that the centre that
deactivated it can reactivate it (cccc.services.user_reactivate acts on the membership).
Nothing changes in who can sign in. Accounts erased by retention (their address at
invalid.example) stay switched off as persons."""

from django.db import migrations

ERASED = "@invalid.example"


def deactivations_to_memberships(apps, schema_editor):
    User = apps.get_model("cccc", "User")
    Membership = apps.get_model("cccc", "Membership")
    people = User.objects.filter(is_active=False).exclude(email__endswith=ERASED)
    ids = list(people.values_list("pk", flat=True))
    Membership.objects.filter(user_id__in=ids, awaiting_approval=False).update(is_active=False)
    # A person whose membership waits keeps it waiting (it was never usable).
    User.objects.filter(pk__in=ids).update(is_active=True)


def deactivations_to_people(apps, schema_editor):
    User = apps.get_model("cccc", "User")
    Membership = apps.get_model("cccc", "Membership")
    ended = Membership.objects.filter(is_active=False, awaiting_approval=False)
    people = ended.values_list("user_id", flat=True)
    kept = Membership.objects.filter(is_active=True).values_list("user_id", flat=True)
    User.objects.filter(pk__in=people).exclude(pk__in=kept).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("cccc", "0022_memberships")]

    operations = [migrations.RunPython(deactivations_to_memberships, deactivations_to_people)]
