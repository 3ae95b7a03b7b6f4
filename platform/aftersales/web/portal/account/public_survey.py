"""The survey link's page: a customer opens the link of a follow-up SMS or e-mail on their phone and answers there.

No sign-in: the link's token is the credential, as for the public JSON route
(:class:`~aftersales.service.followups.api.PublicSurveyController`, kept for integrators). The page shows the
tenant's branding in the customer's language and answers through the same form and service as the signed-in
survey page (:func:`~aftersales.web.portal.account.surveys.take_answer`), once. An unknown token, another tenant's, or a
withdrawn (cancelled) survey is a 404 page.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.service.followups.delivery import LINK_PATH, followup_by_token
from aftersales.service.followups.models import FollowUp
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.surveys import SurveyAddress, survey_form, take_answer
from aftersales.web.portal.rendering import Page, page_for

SHOWN_STATUSES = ("sent", "missed", "answered")
"""A link opens a survey waiting for its answer (a missed one still takes a late answer, as the API's does) or
shows the answer given; a cancelled survey's link has expired."""
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
"""The token is in the address: no other site learns it from a Referer, and no cache keeps the page."""


async def survey_by_token(session: AsyncSession, token: str) -> FollowUp:
    """The follow-up a link's token opens in the request's tenant. :raises NotFound: unknown or expired."""
    found = await followup_by_token(session, token)
    if found is None or found.status not in SHOWN_STATUSES:
        raise NotFound("no such survey")
    return found


def _address(page: Page, token: str) -> SurveyAddress:
    return SurveyAddress(action=page.url(f"{LINK_PATH}/{token}"), headers=PRIVATE)


class PublicSurveyPageController(PageController):
    """``/surveys/{token}``: the survey link's page, answered without signing in."""

    @get(LINK_PATH + "/{token:str}")
    async def survey(self, request: Request[Any, Any, Any], token: FromPath[str], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """The survey's questions and the score form, or the answer already given."""
        page = page_for(request, tenant, viewer)
        return survey_form(page, await survey_by_token(session, token), _address(page, token))

    @post(LINK_PATH + "/{token:str}")
    async def answer(self, request: Request[Any, Any, Any], token: FromPath[str], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the score and comment as the survey's customer and show the thanks (303 back to the link);
        the form again with the reason (422), or the answer already given (409)."""
        page = page_for(request, tenant, viewer)
        survey = await survey_by_token(session, token)
        return await take_answer(request, page, tenant, session, survey, _address(page, token))
