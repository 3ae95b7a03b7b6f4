"""Providers: workshops and technicians, their service points and documents."""
