"""Requesters (solicitantes): the form shared by the new-ticket screen and the administration."""
