"""The signed-in account: profile, password, deletion."""
