"""Floors for a centre's safety settings (issue 20, item 4): a keep-apart gap of at least 5
minutes, records kept at least 3 years, at least one volunteer on a supervised session.

A centre already below a floor is lifted to it before the constraints are added (they could
not be added otherwise): such a setting was already outside both built-in policies."""

import django.core.validators
from django.db import migrations, models
from django.db.models import Q

FLOORS = {
    "keep_apart_gap_minutes": 5,
    "family_retention_years": 3,
    "volunteer_retention_years": 3,
    "supervised_cover": 1,
}


def lift_to_floors(apps, schema_editor):
    centre_model = apps.get_model("cccc", "Centre")
    below = Q()
    for field, floor in FLOORS.items():
        below |= Q(**{f"{field}__lt": floor})
    for centre in centre_model.objects.filter(below):
        for field, floor in FLOORS.items():
            setattr(centre, field, max(getattr(centre, field), floor))
        centre.save(update_fields=list(FLOORS))


class Migration(migrations.Migration):

    dependencies = [
        ('cccc', '0012_audit_record_kinds'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='centre',
            name='centre_retention_at_least_one_year',
        ),
        migrations.AlterField(
            model_name='centre',
            name='family_retention_years',
            field=models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(3, 'Records are kept for at least 3 years.')]),
        ),
        migrations.AlterField(
            model_name='centre',
            name='keep_apart_gap_minutes',
            field=models.PositiveIntegerField(default=15, help_text='Minimum minutes between adults who must not meet.', validators=[django.core.validators.MinValueValidator(5, 'The keep-apart gap is at least 5 minutes.')]),
        ),
        migrations.AlterField(
            model_name='centre',
            name='supervised_cover',
            field=models.PositiveIntegerField(default=2, help_text='Volunteers needed on a supervised session.', validators=[django.core.validators.MinValueValidator(1, 'A supervised session has at least one volunteer.')]),
        ),
        migrations.AlterField(
            model_name='centre',
            name='volunteer_retention_years',
            field=models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(3, 'Records are kept for at least 3 years.')]),
        ),
        migrations.AlterField(
            model_name='historicalcentre',
            name='family_retention_years',
            field=models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(3, 'Records are kept for at least 3 years.')]),
        ),
        migrations.AlterField(
            model_name='historicalcentre',
            name='keep_apart_gap_minutes',
            field=models.PositiveIntegerField(default=15, help_text='Minimum minutes between adults who must not meet.', validators=[django.core.validators.MinValueValidator(5, 'The keep-apart gap is at least 5 minutes.')]),
        ),
        migrations.AlterField(
            model_name='historicalcentre',
            name='supervised_cover',
            field=models.PositiveIntegerField(default=2, help_text='Volunteers needed on a supervised session.', validators=[django.core.validators.MinValueValidator(1, 'A supervised session has at least one volunteer.')]),
        ),
        migrations.AlterField(
            model_name='historicalcentre',
            name='volunteer_retention_years',
            field=models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(3, 'Records are kept for at least 3 years.')]),
        ),
        migrations.RunPython(lift_to_floors, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='centre',
            constraint=models.CheckConstraint(condition=models.Q(('family_retention_years__gte', 3), ('volunteer_retention_years__gte', 3)), name='centre_retention_at_least_three_years'),
        ),
        migrations.AddConstraint(
            model_name='centre',
            constraint=models.CheckConstraint(condition=models.Q(('keep_apart_gap_minutes__gte', 5)), name='centre_keep_apart_gap_at_least_five_minutes'),
        ),
        migrations.AddConstraint(
            model_name='centre',
            constraint=models.CheckConstraint(condition=models.Q(('supervised_cover__gte', 1)), name='centre_supervised_cover_at_least_one_volunteer'),
        ),
    ]
