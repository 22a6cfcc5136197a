"""Collection and review (填报与审核): units, periods, submissions, values and the audit log."""
