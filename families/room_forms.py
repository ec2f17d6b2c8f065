"""The form for a centre's room; families/room_services.py writes it."""

from django import forms

from families.models import Room

MAX_CAPACITY = 500


class RoomForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label="Families at once",
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="How many families can use the room at the same time. Bookings beyond it "
        "are refused.",
    )

    class Meta:
        model = Room
        fields = ["name", "capacity", "in_use"]
        labels = {"in_use": "In use (offered for new bookings)"}

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["in_use"]
