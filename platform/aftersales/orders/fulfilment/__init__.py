"""Order fulfilment: warehouses, and an order's way from a warehouse to an installed, registered unit.

States from ``funded`` on: allocated → dispatched → delivered → installed (:mod:`.moves`); delivery changes
asked as tickets (:mod:`.changes`); installation with the warranty registration and an authorised technician
(:mod:`.installation`); festival cards promised at sale (:mod:`.cards`); the late-delivery notice, a worker job
(:mod:`.late`).
"""
