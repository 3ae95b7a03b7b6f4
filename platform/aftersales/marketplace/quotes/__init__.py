"""Binding quotes priced by the vertical, and the parts price list they charge."""
