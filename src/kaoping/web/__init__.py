"""kaoping.web: the multi-user platform — county data submission, review and publication.

A Django project that nothing else in kaoping imports (import-linter's top layer): it calls the
engine (:mod:`kaoping.data`, :mod:`kaoping.assess`) and keeps the people, the workflow and the
history.  Run its management commands with ``python -m kaoping.web <command>`` (``migrate``,
``runserver`` …); settings come from environment variables (see :mod:`kaoping.web.settings`).
"""
