"""SLA clocks on the tenant's business calendar, and escalation when they run out."""
