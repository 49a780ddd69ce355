"""Tests of the facility service."""
