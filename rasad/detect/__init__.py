"""Detection: triggers, actors, casualty frames and tallies, assembled into records."""
