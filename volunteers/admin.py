"""Nothing of the volunteers app is registered in the Django admin, on purpose.

The admin is for operators, who must never see a volunteer's record (SPEC §2), and it would
let a row be written past the services' DBS gate. tests/volunteers/test_admin.py holds this.
"""
