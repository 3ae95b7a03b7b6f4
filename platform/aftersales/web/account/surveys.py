"""My surveys: the follow-up surveys sent to the customer, answered in the portal with a score and a comment.

Answering calls the same service as the public survey link (``POST /api/v1/public/{slug}/surveys/{token}``:
:func:`~aftersales.service.followups.record_answers` with a required CSAT score, on the ``portal`` channel);
a survey is answered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.service import followups as service
from aftersales.service.followups import CSAT_RANGE, MAX_COMMENT
from aftersales.web.account import mine
from aftersales.web.account.forms import text
from aftersales.web.account.pages import customer_actor, customer_page, show
from aftersales.web.context import SessionDep, TenantDep
from aftersales.web.page_auth import PAGE_DEPENDENCIES, ViewerDep
from aftersales.web.portal.rendering import Page, tenant_paths

ANSWER_CHANNEL = "portal"
SCORES = tuple(CSAT_RANGE)


@dataclass(frozen=True)
class SurveyForm:
    """The score and comment given, kept to fill the form again."""

    csat: str = ""
    comment: str = ""


def _typed_errors(form: SurveyForm, page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    errors = {}
    if form.csat not in {str(score) for score in SCORES}:
        errors["csat"] = _("Choose a score from 1 to 5.")
    if len(form.comment) > MAX_COMMENT:
        errors["comment"] = _("Please keep it under %(count)s characters.") % {"count": page.fmt.number(MAX_COMMENT)}
    return errors


class SurveysController(Controller):
    """``/my/surveys``: the surveys sent to the signed-in customer, and answering one."""

    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get(tenant_paths("/my/surveys"), exclude_from_auth=True)
    async def surveys(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep) -> Template:
        """The surveys waiting for an answer, then those answered."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/surveys.html", surveys=await mine.surveys(session, customer_id))

    @get(tenant_paths("/my/surveys/{followup_id:uuid}"), exclude_from_auth=True)
    async def survey(self, request: Request[Any, Any, Any], followup_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """One survey: its questions and the score form, or the answer already given."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/survey.html", survey=await mine.survey(session, customer_id, followup_id),
                    form=SurveyForm(), errors={}, scores=SCORES)

    @post(tenant_paths("/my/surveys/{followup_id:uuid}"), exclude_from_auth=True)
    async def answer(self, request: Request[Any, Any, Any], followup_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the score and comment and show the thanks; the form again with the reason (422), or the
        answer already given (409) when it was answered before."""
        page, customer_id = customer_page(request, tenant, viewer)
        survey = await mine.survey(session, customer_id, followup_id)
        posted = await request.form()
        form = SurveyForm(**{name: text(posted, name) for name in SurveyForm.__dataclass_fields__})
        errors = _typed_errors(form, page)
        if errors:
            return show(page, tenant, "account/survey.html", status_code=422, survey=survey, form=form,
                        errors=errors, scores=SCORES)
        try:
            await service.record_answers(session, tenant, survey, service.Answers(
                csat=int(form.csat), comment=form.comment), actor=customer_actor(customer_id),
                channel=ANSWER_CHANNEL, now=utcnow(), csat_required=True)
        except Conflict:
            return show(page, tenant, "account/survey.html", status_code=409, survey=survey, form=form,
                        errors={}, scores=SCORES)
        return Redirect(page.url(f"/my/surveys/{survey.id}"), status_code=303)
