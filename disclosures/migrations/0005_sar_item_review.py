# A withheld item becomes one item's review decision (issue 15): the table and its history are
# renamed, the rows already there are withheld items, and a released item has no ground.

import django.db.models.deletion
from django.db import migrations, models

GROUNDS = [
    ("violence", "Held to prevent violence (CHE-SAR exemption)"),
    ("third_party", "Another person's data that cannot be separated out"),
]
DECISIONS = [("release", "Released"), ("withhold", "Withheld")]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0004_disclosure_views_per_answer"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sarwithhelditem", name="sar_item_withheld_once"),
        migrations.RenameModel(old_name="SarWithheldItem", new_name="SarItemReview"),
        migrations.RenameModel(
            old_name="HistoricalSarWithheldItem", new_name="HistoricalSarItemReview"
        ),
        migrations.AlterModelOptions(
            name="historicalsaritemreview",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical sar item review",
                "verbose_name_plural": "historical sar item reviews",
            },
        ),
        migrations.AlterField(
            model_name="saritemreview",
            name="request",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reviews",
                to="disclosures.subjectaccessrequest",
            ),
        ),
        migrations.AddField(
            model_name="saritemreview",
            name="decision",
            field=models.CharField(choices=DECISIONS, default="withhold", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalsaritemreview",
            name="decision",
            field=models.CharField(choices=DECISIONS, default="withhold", max_length=10),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="saritemreview",
            name="ground",
            field=models.CharField(blank=True, choices=GROUNDS, max_length=20),
        ),
        migrations.AlterField(
            model_name="historicalsaritemreview",
            name="ground",
            field=models.CharField(blank=True, choices=GROUNDS, max_length=20),
        ),
        migrations.AddConstraint(
            model_name="saritemreview",
            constraint=models.UniqueConstraint(
                fields=("request", "item_key"), name="sar_item_reviewed_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="saritemreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "withhold"), models.Q(("ground", ""), _negated=True)),
                    models.Q(("decision", "release"), ("ground", "")),
                    _connector="OR",
                ),
                name="sar_item_withheld_on_a_ground",
            ),
        ),
    ]
