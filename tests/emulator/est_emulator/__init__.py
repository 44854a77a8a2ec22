"""Local emulator of the Sinch Elastic SIP Trunking (EST) API."""

__version__ = "0.1.0"
