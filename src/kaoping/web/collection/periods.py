"""The analyst's periods page: every period with its submissions, open and close one, set its
deadline, and create the next one.

Views are short: the form types and checks what was typed, the services (which check rights
again and validate once more) make every change and write the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access, services
from kaoping.web.collection.methodologies import available
from kaoping.web.collection.models import Period, Submission
from kaoping.web.lang import lang, plain


def methodology_choices() -> list[tuple[str, str]]:
    """The choices of the methodology field: bundled and uploaded methodologies, by name."""
    english = lang() == "en"
    return [
        (key, f"{(m.name_en or m.name) if english else m.name} ({key})")
        for key, m in available().items()
        if m.stars is None  # a park methodology (star levels) rates parks, under /parks/
    ]


class PeriodForm(forms.ModelForm):
    """A new period: the form types and checks; :func:`services.period_create` decides."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("A year, or a year and a part of it: 2025, 2025-Q3, 2025-H1."),
    )
    methodology = forms.ChoiceField(
        label=gettext_lazy("Methodology"),
        choices=methodology_choices,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the methodologies listed.")},
    )

    class Meta:
        model = Period
        fields = ["code", "methodology", "previous", "deadline"]
        labels = {
            "previous": gettext_lazy("Previous period"),
            "deadline": gettext_lazy("Deadline"),
        }
        help_texts = {
            "previous": gettext_lazy("Its figures are shown beside each field of the form."),
        }
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no ASCII colon after a Chinese label
        super().__init__(*args, **kwargs)
        previous = self.fields["previous"]
        assert isinstance(previous, forms.ModelChoiceField)
        previous.queryset = Period.objects.order_by("-code")
        previous.empty_label = _("No previous period")

    def clean_code(self) -> str:
        # 2025-q3 is 2025-Q3: one spelling per period
        code: str = self.cleaned_data["code"].strip().upper()
        if not services.PERIOD_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Write a year, or a year and a part of it, such as 2025, 2025-Q3 or 2025-H1."),
                code="invalid",
            )
        if Period.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is already a period %(code)s: choose another code."),
                code="unique",
                params={"code": code},
            )
        return code


class DeadlineForm(forms.Form):
    """One period's deadline (empty: none)."""

    deadline = forms.DateField(required=False)


def _page(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    rows = (
        Period.objects.select_related("previous")
        .annotate(
            approved=Count("submissions", filter=Q(submissions__status=Submission.Status.APPROVED)),
            submitted=Count(
                "submissions", filter=Q(submissions__status=Submission.Status.SUBMITTED)
            ),
            total=Count("submissions"),
        )
        .order_by("-code")
    )
    # a refused form is shown again with 200, as Django's forms do
    methodologies = available()
    official = {k for k, m in methodologies.items() if m.is_official}  # 考核: their targets
    context = {"periods": rows, "form": form, "known": set(methodologies), "official": official}
    return render(request, "collection/periods.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    """Every period, and the form that creates a new one (not yet open)."""
    access.require_reviewer(request.user)
    if request.method != "POST":
        return _page(request, PeriodForm())
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                methodology=form.cleaned_data["methodology"],
                previous=form.cleaned_data["previous"],
                deadline=form.cleaned_data["deadline"],
            )
        except InputError as error:  # what the form could not know (someone else was faster)
            for problem in error:
                field = problem.where if problem.where in form.fields else None
                form.add_error(field, plain(problem))
        else:
            messages.success(
                request,
                _("Period %(period)s was created; open it when counties may submit.")
                % {"period": period.code},
            )
            return redirect("periods")
    messages.error(request, _("Nothing was created: correct the fields marked below."))
    return _page(request, form)


@login_required
@require_POST
def status(request: HttpRequest, period: str) -> HttpResponse:
    """Open a period (not yet open, or closed) for submission, or close an open one."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.period_open(actor=request.user, period=the_period)
            messages.success(
                request, _("Period %(period)s is open for submission.") % {"period": period}
            )
        elif action == "close":
            services.period_close(actor=request.user, period=the_period)
            messages.success(request, _("Period %(period)s is closed.") % {"period": period})
        else:
            messages.error(request, _("Unknown action."))
    except PermissionDenied as error:  # the reviewer's right is checked above: a stale page
        messages.error(request, str(error))
    return redirect("periods")


@login_required
@require_POST
def deadline(request: HttpRequest, period: str) -> HttpResponse:
    """Set or remove a period's deadline."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the deadline as a date, such as 2025-03-31."))
    else:
        services.period_set_deadline(
            actor=request.user, period=the_period, deadline=form.cleaned_data["deadline"]
        )
        messages.success(
            request, _("The deadline of period %(period)s was saved.") % {"period": period}
        )
    return redirect("periods")
