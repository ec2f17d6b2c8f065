"""Nothing of retention is registered in the Django admin, on purpose: the admin is for
operators, who never see family or volunteer records, and a row edited there would skip the
services (the accident book's 24-hour window, the register's append-only rule)."""
