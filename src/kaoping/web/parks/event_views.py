"""The organiser's pages of the observation events: the list, a new event, an event (who has
scored), open, close (missing scores: wait or leave out), decide on flagged judges, publish,
the results per group and their workbook, the annual composite and its feed to the 考核."""

from __future__ import annotations

from kaoping.web.parks.stubs import todo

events = todo
event_new = todo
event = todo
event_open = todo
event_close = todo
event_decide = todo
event_publish = todo
results = todo
results_xlsx = todo
composite = todo
composite_feed = todo
