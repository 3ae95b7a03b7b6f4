"""The stock pages of the staff console: stock by location, the movements ledger, jobs' reservations, the reorder
list, return batches of faulty parts to their makers, and importing stock from a CSV file."""
