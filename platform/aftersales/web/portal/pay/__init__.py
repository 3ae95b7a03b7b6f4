"""The customer's money pages: paying a job by card, their payments, and asking for refunds."""
