"""Delivery channels (email, SMS, Web Push) and their provider adapters."""
