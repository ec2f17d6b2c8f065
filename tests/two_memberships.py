"""A person with memberships at two centres (issue 19): the outsider tests of the apps run
for them too. Working as centre B, nothing of centre A may show, not even a count, and
centre A's records are a 404.

`work_as(client, user, centre)` signs the person in working as their membership at `centre`
(the session key the switcher sets). `main_of(response)` is the page's <main> without its
CSRF tokens: the same page for the person working as B and for someone who is only at B
means nothing of A changed it. `seed(centre)` gives a centre one record of every kind these
pages list or count, each named so that it can be looked for.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from cccc.middleware import SESSION_MEMBERSHIP
from cccc.models import AccessLog, Centre, Membership, User
from disclosures.models import DisclosureRequest, PoliceVisit, SubjectAccessRequest, WitnessSummons
from families.models import ContactSession, Family, Referral
from retention.models import AccidentEntry, DestructionRecord
from tests.conftest import sign_in
from tests.factories import (
    AccessLogFactory,
    AccidentEntryFactory,
    AdultFactory,
    ConcernFactory,
    ContactSessionFactory,
    DbsCheckFactory,
    DestructionRecordFactory,
    DisclosureRequestFactory,
    FamilyFactory,
    PoliceVisitFactory,
    ReferralFactory,
    SubjectAccessRequestFactory,
    VolunteerFactory,
    WitnessSummonsFactory,
    a_coordinator,
)
from volunteers.models import Volunteer

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def work_as(client, user: User, centre: Centre | None):
    """The client signed in as `user`, working as their membership at `centre`."""
    sign_in(client, user)
    session = client.session
    session[SESSION_MEMBERSHIP] = Membership.objects.get(user=user, centre=centre).pk
    session.save()
    return client


def main_of(response) -> str:
    html = response.content.decode()
    start, end = html.find("<main"), html.find("</main>")
    assert start >= 0 and end > start, "the page has no <main>"
    return CSRF.sub("", html[start:end])


@dataclass
class Seeded:
    family: Family
    session: ContactSession
    volunteer: Volunteer
    request: DisclosureRequest
    sar: SubjectAccessRequest
    summons: WitnessSummons
    police: PoliceVisit
    accident: AccidentEntry
    destroyed: DestructionRecord
    log: AccessLog


def seed(centre: Centre) -> Seeded:
    """One of each: a family with a pending referral, an open concern and a session this
    week; a volunteer with a DBS check due for renewal; an open disclosure request, subject
    access request, witness summons and police visit; an accident, a destruction record and
    an audit entry."""
    today = timezone.localdate()
    family = FamilyFactory(centre=centre)
    adult = AdultFactory(family=family)
    ReferralFactory(family=family, status=Referral.Status.PENDING)
    ConcernFactory(family=family)
    session = ContactSessionFactory(family=family, date=today + datetime.timedelta(days=1))
    volunteer = VolunteerFactory(centre=centre, last_name=f"Marker{centre.code}")
    DbsCheckFactory(volunteer=volunteer)
    return Seeded(
        family=family,
        session=session,
        volunteer=volunteer,
        request=DisclosureRequestFactory(family=family),
        sar=SubjectAccessRequestFactory(adult=adult),
        summons=WitnessSummonsFactory(centre=centre, family=family),
        police=PoliceVisitFactory(centre=centre, family=family),
        accident=AccidentEntryFactory(centre=centre),
        destroyed=DestructionRecordFactory(centre=centre),
        log=AccessLogFactory(centre=centre, user=a_coordinator(centre), record=adult),
    )
