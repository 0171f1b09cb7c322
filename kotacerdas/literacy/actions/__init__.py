"""Every change to Cirebon Melet's data: one transaction and one audit event each."""
