"""Technician dispatch (issue 20 §3): technicians, their authorisations, on-site visits, the dispatcher's
suggestion, the next day's plan fixed at the vertical's cut-off, and the technician's day sheet."""
