"""Where parts come from when the shelf is empty, and where faulty ones go: back-orders with suppliers (the
request waits for parts meanwhile), donor units whose usable parts enter stock as used parts, and faulty parts
replaced under warranty returned to the supplier in RMA batches against a credit.

Built on the stock ledger (:mod:`aftersales.parts`): a received back-order or a harvested donor part is a
``receipt`` movement, a back-order's waiting quantity is reserved for its job on receipt.
"""
