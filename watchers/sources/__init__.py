"""Source plug-ins. Each module registers its kind with `watchers.registry.register`."""
