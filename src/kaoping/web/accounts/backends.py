"""The sign-in backend: Django's, with the user's role read in the same query.

Every page needs the role (``access.role_of``: the header's links, what the user may see):
reading the membership with the user on each request saves a query on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("membership").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
