"""Background jobs: the job kinds' registry, the state machine, brokers, the worker and the scheduler."""
