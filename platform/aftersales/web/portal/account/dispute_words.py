"""What a reader sees for a dispute's stored codes (grounds, states, outcomes, the other side) and for the
codes of its refusals, on the portal and in the console alike. Marked with ``N_``, translated when shown."""

from __future__ import annotations

from types import SimpleNamespace

from aftersales.web.portal.account.words import N_, Words

GROUNDS = Words({
    "charged_more_than_accepted": N_("Charged more than the price I accepted"),
    "work_without_consent": N_("Work done without my consent"),
    "consumables_not_as_requested": N_("Consumables not as I asked"),
    "provider_absent": N_("The provider was not there at the booked time"),
    "poor_workmanship": N_("Poor workmanship"),
    "claim_decision": N_("I disagree with the warranty claim's decision"),
    "other": N_("Something else"),
}, N_("Something else"))
STATES = Words({
    "open": N_("Waiting for the other side's answer"),
    "answered": N_("Answered"),
    "mediation": N_("In mediation"),
    "settlement_proposed": N_("Settlement proposed"),
    "settled": N_("Settled"),
    "ruled": N_("Ruled"),
    "withdrawn": N_("Withdrawn"),
}, N_("Under way"))
OUTCOMES = Words({
    "for_customer": N_("For the customer"),
    "partly": N_("Partly for the customer"),
    "for_respondent": N_("For the other side"),
    "settled": N_("Settled by agreement"),
}, N_("Decided"))
RESPONDENTS = Words({"provider": N_("The provider"), "company": N_("The company")}, N_("The other side"))
SUBJECTS = Words({"booking": N_("Booking"), "request": N_("Service request"), "claim": N_("Warranty claim")},
                 N_("Other"))
REFUSALS = Words({
    "dispute.wrong_state": N_("That step is not possible now: the dispute has moved on. Here is where it stands."),
    "dispute.not_heard": N_("The other side has not answered: start mediation before ruling."),
    "dispute.already_open": N_("There is already a dispute under way about this."),
    "dispute.empty": N_("Write something here."),
    "dispute.too_long": N_("This is too long."),
    "dispute.negative_refund": N_("The amount cannot be negative."),
    "dispute.refund_not_owed": N_("A ruling for the other side owes the customer nothing."),
    "dispute.grounds": N_("Choose one of the reasons offered."),
    "dispute.before_booked_time": N_("The booked time has not come yet."),
    "money.beyond_cap": N_("This amount is too large."),
}, N_("Please check this field."))
"""A refusal's words by its code (``errors.AftersalesError.code``), never by its English."""

DISPUTE_WORDS = SimpleNamespace(grounds=GROUNDS, states=STATES, outcomes=OUTCOMES, respondents=RESPONDENTS,
                                subjects=SUBJECTS, refusals=REFUSALS)
