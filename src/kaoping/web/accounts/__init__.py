"""Passwords: every user changes their own (Django's views, linked from every page's header);
the city office resets a county submitter's forgotten one to a temporary password, shown
once, which the county must replace at its next login (:mod:`.middleware`).  Both are in the
audit log, never the password itself."""
