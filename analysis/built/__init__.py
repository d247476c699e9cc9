"""The plan against what was built: energy bases set against a register of real plants."""
