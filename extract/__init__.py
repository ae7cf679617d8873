"""Documents -> tables and text -> typed records with provenance."""
