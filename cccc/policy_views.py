"""The confidentiality policy: readable by every signed-in user of the centre and by the
public at a per-centre address; coordinators and chairs adopt new versions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cccc.access import require_role
from cccc.fields import text_limit
from cccc.forms import add_service_errors
from cccc.models import Centre, PolicyDocument, PolicyVariant, Role
from cccc.policies import current_policy, policy_adopt, review_warning
from cccc.policy_texts import NACCC_SPECIMEN

# A whole policy, both built-in ones several times over.
POLICY_TEXT_MAX_LENGTH = 50_000


class AdoptForm(forms.Form):
    version = forms.CharField(max_length=20, help_text="For example 2027.1")
    title = forms.CharField(max_length=200, initial="Confidentiality policy")
    adopted_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}), **text_limit(POLICY_TEXT_MAX_LENGTH)
    )


@login_required
@require_GET
def policy_current(request):
    if request.membership is None or request.membership.centre is None:
        raise Http404
    centre = request.membership.centre
    return render(
        request,
        "cccc/policy.html",
        {"centre": centre, "policy": current_policy(centre), "public": False},
    )


@require_GET
def policy_public(request, slug: str):
    """Open to anyone: users, referrers and the public may read the policy on request."""
    centre = get_object_or_404(Centre, slug=slug, is_active=True)
    policy = current_policy(centre)
    if policy is None:
        raise Http404
    return render(request, "cccc/policy.html", {"centre": centre, "policy": policy, "public": True})


@login_required
@require_http_methods(["GET", "POST"])
def policy_versions(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    centre = request.membership.centre
    versions = PolicyDocument.objects.filter(centre=centre).select_related("adopted_by")
    initial = {"adopted_on": timezone.localdate()}
    # A centre on the NACCC variant starts its first version from the specimen's text.
    specimen = centre.policy_variant == PolicyVariant.NACCC and not versions.exists()
    if specimen:
        initial |= {"version": "1", "text": NACCC_SPECIMEN}
    form = AdoptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = policy_adopt(centre=centre, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {document.version} adopted.")
            return redirect("policy_versions")
    return render(
        request,
        "cccc/policy_versions.html",
        {
            "form": form,
            "versions": versions,
            "warning": review_warning(centre),
            "specimen": specimen,
        },
    )
