"""The password pages: one's own password (Django's views, recording the change), and the
city office's list of county accounts with the reset of one (a confirmation page, then the
temporary password shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash, views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaoping.web.accounts import services
from kaoping.web.accounts.middleware import must_change_password


class PasswordChange(views.PasswordChangeView):
    """Django's page, the change written through the service (audit log, obligation ended)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, temporary=must_change_password(self.request.user))

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        services.password_change(actor=self.request.user, form=form)
        update_session_auth_hash(self.request, form.user)  # stay logged in
        return HttpResponseRedirect(self.get_success_url())


@login_required
def county_accounts(request: HttpRequest) -> HttpResponse:
    accounts = services.county_accounts(actor=request.user)
    return render(request, "accounts/counties.html", {"accounts": accounts})


@never_cache  # the temporary password is shown once and kept by no cache
@login_required
@require_http_methods(["GET", "POST"])
def county_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """GET: what a reset does, and the button; POST: the reset, and the new password."""
    account = services.county_accounts(actor=request.user).filter(pk=user_id).first()
    if account is None:  # not a county account (an analyst's, an admin's …): nothing here
        raise Http404
    password = None
    if request.method == "POST":
        password = services.county_password_reset(actor=request.user, account=account)
    return render(request, "accounts/reset.html", {"account": account, "password": password})
