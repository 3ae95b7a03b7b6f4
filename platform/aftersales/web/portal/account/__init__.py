"""The signed-in customer's own pages: devices and their coverage, service requests, complaints and surveys."""
