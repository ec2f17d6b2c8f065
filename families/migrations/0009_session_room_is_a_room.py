import datetime

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("families", "0008_rooms_from_text")]

    operations = [
        migrations.RemoveField(model_name="contactsession", name="room"),
        migrations.RemoveField(model_name="historicalcontactsession", name="room"),
        migrations.RenameField(model_name="contactsession", old_name="room_ref", new_name="room"),
        migrations.RenameField(
            model_name="historicalcontactsession", old_name="room_ref", new_name="room"
        ),
        migrations.AlterField(
            model_name="contactsession",
            name="room",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="families.room",
            ),
        ),
        migrations.AddIndex(
            model_name="contactsession",
            index=models.Index(fields=["room", "date"], name="families_co_room_id_0ca529_idx"),
        ),
        migrations.AddConstraint(
            model_name="contactsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("recorded_afterwards", True))
                | models.Q(
                    (
                        "date__gte",
                        django.db.models.functions.datetime.TruncDate(
                            "booked_at", tzinfo=datetime.UTC
                        ),
                    )
                ),
                name="session_booked_ahead_unless_recorded_afterwards",
            ),
        ),
    ]
