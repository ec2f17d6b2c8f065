"""Demo policy documents, written in this project's own words. Each follows its seed policy
(shared/seeds/) clause by clause, with the clause IDs the software uses; the seeds are the
source, not a dependency: nothing reads them at run time. The NACCC specimen's text is the
one a new centre on that variant starts from, so it lives in the app (cccc/policy_texts.py)."""

from cccc.policy_texts import NACCC_SPECIMEN

CHICHESTER = """\
Confidentiality policy (demo centre following the Chichester variant)

Purpose. This policy sets out how the centre keeps confidential what it learns about the
families who use it.

Aim. To state the principles that every volunteer and member of staff follows to keep that
information confidential.

Introduction (CHI-3). Contact work depends on confidentiality. We will break it only:
- when we are worried about a child's welfare: we pass the concern to Children's Services
  and/or the police;
- when we are worried that a user or a volunteer of the centre may suffer physical violence.

Principles. Every volunteer and member of staff keeps to these ten principles.

1. Confidentiality of family information (CHI-4.1). Nothing about a family is discussed or
   disclosed outside the centre.
2. Seeking guidance (CHI-4.2). A volunteer who needs to talk a situation through, or needs
   advice, goes to the coordinator.
3. No part in family proceedings (CHI-4.3). Volunteers give no spoken or written reports for
   family court proceedings.
4. Attendance (CHI-4.4). On request, a referring agency may be told the dates and times a
   family attended. Nothing more is passed on unless safeguarding requires it.
5. Personal details (CHI-4.5). A parent's address, telephone number and other personal
   details are not passed to any person or agency, the former partner included, without that
   parent's explicit permission, unless the law requires it.
6. Assessments (CHI-4.6). Solicitors, CAFCASS officers, social workers and other people or
   agencies may not carry out family assessments on the premises unless a specific agreement
   is in place.
7. Volunteer checks (CHI-4.7). Every prospective volunteer has a Disclosure and Barring
   Service check before being appointed.
8. Secure storage (CHI-4.8). Information about families and volunteers is kept securely at
   all times.
9. Keeping and disposing of information (CHI-4.9). Information not used for three years is
   treated as confidential waste and securely destroyed. The accident book is kept for good.
10. Access to this policy (CHI-4.10). Users, referrers, volunteers and staff are told about
   this policy and can read it whenever they ask.

Review (CHI-note). This policy is reviewed every year and updated where needed.
"""

CHESTERFIELD = """\
Confidentiality policy (demo centre following the Chesterfield variant)

Contact work needs clear confidentiality, and everyone who works at the centre is bound by
it. We therefore make sure that:

1. (CHE-1) Users bring no camcorders, cameras or other recording equipment to the centre, and
   do not talk about or pass on anything about other users.
2. (CHE-2) Volunteers agree not to talk about or pass on anything about a family outside the
   centre.
3. (CHE-3) Volunteers make no spoken or written reports in family court proceedings.
4. (CHE-4) Referring agencies may ask for the dates and times a family attended. Nothing else
   is released unless (a) a child is thought to be at risk of harm, inside or outside the
   centre, or (b) someone using the centre, or a volunteer, is at risk of physical violence.
5. (CHE-5) A parent's details, such as their address and telephone number, are not given to
   anyone, including their former partner, or to any agency, without their permission.
6. (CHE-6) The only exceptions are (a) a child thought to be at risk of harm and (b) a risk of
   physical violence to anyone using the centre or to a volunteer.
7. (CHE-7) Solicitors, CAFCASS officers, social workers and any other person or agency may not
   carry out family assessments on the premises unless an agreement allows it.
8. (CHE-8) Every prospective volunteer has a criminal records check. The result is seen by
   the coordinator and/or the chair of the management committee.
9. (CHE-9) Information about families and volunteers is kept secure at all times.
10. (CHE-10) Information about families and volunteers not used for three years is treated
   as confidential waste and destroyed as such.
11. (CHE-11) Users, referrers, volunteers and staff know this policy exists and can read it
   whenever they ask.
12. (CHE-12) This policy is reviewed every year and updated where needed.

Witness summons (CHE-WS). If the centre or a volunteer receives a witness summons, the chair
is told promptly and then: writes to the court and/or the solicitor concerned, explaining
this policy on confidentiality and disclosure and, wherever possible, asking for the summons
to be set aside; tells the NACCC office, which can advise and support; and talks to one of the
solicitors on the committee where appropriate.

Police at the centre (CHE-PO). Unless they have been called to an emergency, the police are
asked not to approach or detain anyone on the centre's premises. If the police, or anyone
else, arrive to serve an order, they are asked to serve it elsewhere.

Data protection. We follow the data protection principles:
1. (CHE-DP1) Data is obtained and processed fairly and lawfully.
2. (CHE-DP2) Data is held only for lawful purposes.
3. (CHE-DP3) Data is adequate and relevant, and no more than is needed.
4. (CHE-DP4) Data is accurate and kept up to date.
5. (CHE-DP5) Data is kept no longer than needed: a user's record is destroyed three years
   after it was last used, a volunteer's three years after they resign.
6. (CHE-DP6) Data is processed in line with people's rights under data protection law.
7. (CHE-DP7) Data is kept secure.
8. (CHE-DP8) Data is not transferred outside the European Economic Area unless an exemption
   applies.

Subject access (CHE-SAR). People may ask what data the centre holds about them. Sensitive data
held to prevent crime involving violence may be withheld under the exemption the law allows.
For questions about data protection, the NACCC office or the Information Commissioner can help.
"""

TEXTS = {"chichester": CHICHESTER, "chesterfield": CHESTERFIELD, "naccc": NACCC_SPECIMEN}
