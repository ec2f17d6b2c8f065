"""The migration that makes a session's free-text room a Room (families 0008): every centre's
room names become its rooms and no session, nor history row, loses its room."""

import datetime

import pytest
from django.utils import timezone

from cccc.fields import Sealed
from tests.migrating import migrate, migrate_to_latest

# The accounts as they were then too (a person's role and centre on the account, before
# cccc 0021 moved them to memberships): the old models below are created with them.
ACCOUNTS_THEN = ("cccc", "0021_audit_checkpoint")
BEFORE = [("families", "0007_rooms_and_series"), ACCOUNTS_THEN]
AFTER = [("families", "0009_session_room_is_a_room"), ACCOUNTS_THEN]


@pytest.mark.django_db(transaction=True)
def test_text_rooms_become_each_centres_rooms_and_nothing_is_lost():
    old = migrate(BEFORE)
    try:
        Centre, User = old.get_model("cccc", "Centre"), old.get_model("cccc", "User")
        DataKey, Family = old.get_model("cccc", "DataKey"), old.get_model("families", "Family")
        Session = old.get_model("families", "ContactSession")
        History = old.get_model("families", "HistoricalContactSession")
        now, today = timezone.now(), timezone.localdate()

        def session(centre, user, room, **fields):
            family = Family.objects.create(
                centre=centre,
                reference=f"{centre.code}-{Family.objects.count():04d}",
                data_key=DataKey.objects.create(master_key_id="k", wrapped=b"w"),
            )
            return Session.objects.create(
                family=family, centre=centre, room=room, booked_by=user,
                date=fields.get("date", today), starts_at=datetime.time(10),
                ends_at=datetime.time(11), contact_type="supervised",
                instructions=Sealed("token"), booked_at=fields.get("booked_at", now),
            )  # fmt: skip

        rooms_of = {}
        for code in ("AAA", "BBB"):
            centre = Centre.objects.create(name=code, slug=code.lower(), code=code)
            user = User.objects.create(email=f"c@{code}.example", role="coordinator", centre=centre)
            rooms_of[code] = [
                session(centre, user, "Hall"),
                session(centre, user, "hall "),
                session(centre, user, "Blue room"),
                session(centre, user, ""),
            ]
        late = session(centre, user, "Blue room", date=today - datetime.timedelta(days=400))
        gone = rooms_of["AAA"][0]
        History.objects.create(
            id=gone.pk, family_id=gone.family_id, centre_id=gone.centre_id, date=today,
            starts_at=gone.starts_at, ends_at=gone.ends_at, room="Old hut",
            contact_type="supervised", instructions=Sealed("token"), booked_by_id=user.pk,
            booked_at=now, history_date=now, history_type="~",
        )  # fmt: skip

        new = migrate(AFTER)
        Room = new.get_model("families", "Room")
        Session = new.get_model("families", "ContactSession")
        History = new.get_model("families", "HistoricalContactSession")
        for code, sessions in rooms_of.items():
            rooms = Room.objects.filter(centre__code=code)
            names = {(r.name, r.capacity, r.in_use) for r in rooms}
            expected = {("Hall", 1, True), ("Blue room", 1, True)}
            assert names == expected | ({("Old hut", 1, False)} if code == "AAA" else set())
            hall, blue = rooms.get(name="Hall"), rooms.get(name="Blue room")
            room_ids = [Session.objects.get(pk=s.pk).room_id for s in sessions]
            assert room_ids == [hall.pk, hall.pk, blue.pk, None]
        assert History.objects.get(room__name="Old hut").id == gone.pk
        marked = set(Session.objects.filter(recorded_afterwards=True).values_list("pk", flat=True))
        assert marked == {late.pk}
    finally:
        migrate_to_latest()
