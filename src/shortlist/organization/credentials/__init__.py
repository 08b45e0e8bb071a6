"""An organisation's own credentials: API keys (`slo_…`) and OAuth clients with organisation scopes."""
