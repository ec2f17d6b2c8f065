"""The NACCC specimen confidentiality policy, in this project's own words, clause by clause
with the clause IDs the software uses (NAC-…; docs/policy-map.md). A centre on the NACCC
variant that has adopted no policy yet starts its first version from it
(cccc/policy_views.py); the demo data adopt it for a demo centre on that variant.

The source is the Chesterfield policy in shared/seeds/, whose first line says that its
underlined words are additional to the NACCC specimen. The plain-text copy lost the
underlining: docs/policy-map.md (*The NACCC specimen*) says which words were taken as
Chesterfield's own and why. Nothing reads the seeds at run time.
"""

NACCC_SPECIMEN = """\
Confidentiality policy (following the NACCC specimen policy)

Contact work needs clear confidentiality, and everyone who works at the centre is bound by
it. We therefore make sure that:

1. (NAC-1) Volunteers agree not to talk about or pass on anything about a family outside the
   centre.
2. (NAC-2) Volunteers make no spoken or written reports in family court proceedings.
3. (NAC-3) Referring agencies may ask for the dates and times a family attended. Nothing else
   is released unless (a) a child is thought to be at risk of harm, inside or outside the
   centre, or (b) someone using the centre, or a volunteer, is at risk of physical violence.
4. (NAC-4) A parent's details, such as their address and telephone number, are not given to
   anyone, including their former partner, or to any agency, without their permission.
5. (NAC-5) The only exceptions are (a) a child thought to be at risk of harm and (b) a risk of
   physical violence to anyone using the centre or to a volunteer.
6. (NAC-6) Solicitors, CAFCASS officers, social workers and any other person or agency may not
   carry out family assessments on the premises unless an agreement allows it.
7. (NAC-7) Every prospective volunteer has a criminal records check. The result is seen by
   the coordinator and/or the chair of the management committee.
8. (NAC-8) Information about families and volunteers is kept secure at all times.
9. (NAC-9) Information about families and volunteers not used for three years is treated as
   confidential waste and destroyed as such.
10. (NAC-10) Users, referrers, volunteers and staff know this policy exists and can read it
   whenever they ask.
11. (NAC-11) This policy is reviewed every year and updated where needed.

Witness summons (NAC-WS). If the centre or a volunteer receives a witness summons, the chair
is told promptly and then: writes to the court and/or the solicitor concerned, explaining
this policy on confidentiality and disclosure and, wherever possible, asking for the summons
to be set aside; tells the NACCC office, which can advise and support; and talks to one of the
solicitors on the committee where appropriate.

Police at the centre (NAC-PO). Unless they have been called to an emergency, the police are
asked not to approach or detain anyone on the centre's premises. If the police, or anyone
else, arrive to serve an order, they are asked to serve it elsewhere.

Data protection. We follow the data protection principles:
1. (NAC-DP1) Data is obtained and processed fairly and lawfully.
2. (NAC-DP2) Data is held only for lawful purposes.
3. (NAC-DP3) Data is adequate and relevant, and no more than is needed.
4. (NAC-DP4) Data is accurate and kept up to date.
5. (NAC-DP5) Data is kept no longer than needed: a user's record is destroyed three years
   after it was last used, a volunteer's three years after they resign.
6. (NAC-DP6) Data is processed in line with people's rights under data protection law.
7. (NAC-DP7) Data is kept secure.
8. (NAC-DP8) Data is not transferred outside the European Economic Area unless an exemption
   applies.

Subject access (NAC-SAR). People may ask what data the centre holds about them. Sensitive data
held to prevent crime involving violence may be withheld under the exemption the law allows.
For questions about data protection, the NACCC office or the Information Commissioner can help.
"""
