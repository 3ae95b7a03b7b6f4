"""My surveys: the follow-up surveys sent to the customer, answered in the portal with a score and a comment.

Answering calls the same service as the public survey link (``POST /api/v1/public/{slug}/surveys/{token}``:
:func:`~aftersales.service.followups.services.record_answers` with a required CSAT score, on the ``portal`` channel);
a survey is answered once. :func:`survey_form` and :func:`take_answer` are shared with the survey link's page
(:mod:`aftersales.web.portal.account.public_survey`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.http.context import SessionDep, TenantDep
from aftersales.service.followups import services as service
from aftersales.service.followups.models import FollowUp
from aftersales.service.followups.services import CSAT_RANGE, MAX_COMMENT
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account import mine
from aftersales.web.portal.account.pages import customer_actor, customer_page, show
from aftersales.web.portal.rendering import Page, render

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


@dataclass(frozen=True)
class SurveyAddress:
    """Where a survey's form posts to, where "back" leads (None: no link back) and headers for its page."""

    action: str
    back: str | None = None
    headers: dict[str, str] | None = None


def survey_form(page: Page, survey: FollowUp, address: SurveyAddress, *, form: SurveyForm | None = None,
                errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    """The survey page: its questions and the score form, or the answer given (409: answered before)."""
    return render(page, "account/survey.html", status_code=status_code, headers=address.headers, survey=survey,
                  form=form or SurveyForm(), errors=errors or {}, scores=SCORES, action=address.action,
                  back=address.back, answered_before=status_code == 409)


async def take_answer(request: Request[Any, Any, Any], page: Page, tenant: CurrentTenant, session: AsyncSession,
                      survey: FollowUp, address: SurveyAddress) -> Template | Redirect:
    """Record the posted score and comment as the survey's customer and go back to the survey (303); the form
    again with each field's reason (422), or the answer already given (409) when it was answered before."""
    posted = await request.form()
    form = SurveyForm(**fields(posted, *SurveyForm.__dataclass_fields__))
    errors = _typed_errors(form, page)
    if errors:
        return survey_form(page, survey, address, form=form, errors=errors, status_code=422)
    try:
        await service.record_answers(session, tenant, survey, service.Answers(
            csat=int(form.csat), comment=form.comment), actor=customer_actor(survey.customer_id),
            channel=ANSWER_CHANNEL, now=utcnow(), csat_required=True)
    except Conflict:
        return survey_form(page, survey, address, form=form, status_code=409)
    return Redirect(address.action, status_code=303, headers=address.headers)


def _mine(page: Page, followup_id: UUID) -> SurveyAddress:
    return SurveyAddress(action=page.url(f"/my/surveys/{followup_id}"), back=page.url("/my/surveys"))


class SurveysController(PageController):
    """``/my/surveys``: the surveys sent to the signed-in customer, and answering one."""

    @get("/my/surveys")
    async def surveys(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep) -> Template:
        """The surveys waiting for an answer, then those answered."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/surveys.html", surveys=await service.surveys_of_customer(session, customer_id))

    @get("/my/surveys/{followup_id:uuid}")
    async def survey(self, request: Request[Any, Any, Any], followup_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """One survey: its questions and the score form, or the answer already given."""
        page, customer_id = customer_page(request, tenant, viewer)
        return survey_form(page, await mine.survey(session, customer_id, followup_id), _mine(page, followup_id))

    @post("/my/surveys/{followup_id:uuid}")
    async def answer(self, request: Request[Any, Any, Any], followup_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the score and comment and show the thanks; the form again with the reason (422), or the
        answer already given (409) when it was answered before."""
        page, customer_id = customer_page(request, tenant, viewer)
        survey = await mine.survey(session, customer_id, followup_id)
        return await take_answer(request, page, tenant, session, survey, _mine(page, followup_id))
