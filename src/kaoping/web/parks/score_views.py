"""The judge's pages (观摩评比 on a phone): the event's counties, one county's criteria, saving
one value as typed, submitting when complete."""

from __future__ import annotations

from kaoping.web.parks.stubs import todo

score = todo
score_unit = todo
save = todo
submit = todo
