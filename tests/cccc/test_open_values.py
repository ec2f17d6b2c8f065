"""cccc.fields.open_values: encrypted columns of many rows, opened without a model instance
per row (the names on the coordinator's lists), and as strict as a model load."""

import datetime

import pytest

from cccc import crypto
from cccc.fields import open_own_values, open_values
from families.models import Adult, Child
from tests.factories import AdultFactory, ChildFactory, DataKeyFactory, FamilyFactory

pytestmark = pytest.mark.django_db


def test_it_opens_each_rows_values_with_its_owners_key_in_owner_then_row_order():
    one, two = FamilyFactory(), FamilyFactory()
    AdultFactory(family=two, first_name="Bea", last_name="Two")
    AdultFactory(family=one, first_name="Ann", last_name="One")
    AdultFactory(family=one, first_name="Abe", last_name="One")
    ChildFactory(family=one, first_name="Cy", date_of_birth=datetime.date(2020, 2, 29))
    keys = {f.pk: f.data_key for f in (one, two)}
    assert open_values(Adult, ["first_name", "last_name"], owner="family", keys=keys) == [
        (one.pk, ("Ann", "One")), (one.pk, ("Abe", "One")), (two.pk, ("Bea", "Two")),
    ]  # fmt: skip
    [(_, (born,))] = open_values(Child, ["date_of_birth"], owner="family", keys=keys)
    assert born == datetime.date(2020, 2, 29)
    assert open_values(Adult, ["first_name"], owner="family", keys={}) == []


def test_another_key_than_the_owners_fails_loudly():
    family = FamilyFactory()
    AdultFactory(family=family)
    with pytest.raises(crypto.DecryptionError):
        open_values(Adult, ["first_name"], owner="family", keys={family.pk: DataKeyFactory()})


def test_it_refuses_a_plain_field_or_a_field_sealed_under_another_key():
    with pytest.raises(TypeError, match="not sealed under family.data_key"):
        open_values(Adult, ["role"], owner="family", keys={})
    with pytest.raises(TypeError, match="not sealed under session.data_key"):
        open_values(Adult, ["first_name"], owner="session", keys={})


def test_own_values_open_under_each_rows_own_key_in_one_query(django_assert_num_queries):
    from families.models import Family
    from families.names import Person, people_line

    one, two = FamilyFactory(), FamilyFactory()
    for family, name in ((one, "Ann"), (two, "Bea")):
        family.people_names = people_line([Person(name, "One", child=False)])
        family.save()
    with django_assert_num_queries(1):
        opened = open_own_values(Family, ["people_names"], ids=[one.pk, two.pk, 999999])
    assert set(opened) == {one.pk, two.pk}
    assert "Bea" in opened[two.pk][0] and "Ann" not in opened[two.pk][0]
    assert open_own_values(Family, ["people_names"], ids=[]) == {}
    with pytest.raises(TypeError, match="not sealed under the row's data_key"):
        open_own_values(Adult, ["first_name"], ids=[1])


def test_own_values_refuse_a_key_that_is_not_the_rows():
    from django.db import connection

    from families.models import Family

    family = FamilyFactory()
    family.people_names = '{"adults": [], "children": []}'
    family.save()
    with connection.cursor() as cursor:  # the row pointed at another key than its own
        cursor.execute(
            "UPDATE families_family SET data_key_id = %s WHERE id = %s",
            [DataKeyFactory().pk, family.pk],
        )
    with pytest.raises(crypto.DecryptionError):
        open_own_values(Family, ["people_names"], ids=[family.pk])
