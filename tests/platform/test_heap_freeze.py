"""The served process exempts its start-up heap from garbage collection (main.freeze_heap)."""

from __future__ import annotations

import gc

from shortlist.context import AppContext
from shortlist.main import create_app


async def test_the_served_app_freezes_what_start_up_built(context: AppContext) -> None:
    gc.unfreeze()
    # An app that builds its own context, as a served one does (the fixture's context migrated the schema).
    app = create_app(context.settings.model_copy(update={"gc_freeze_after_startup": True}))
    try:
        async with app.router.lifespan_context(app):
            # Modules, routes, models and the context: far more than anything a request leaves behind.
            assert gc.get_freeze_count() > 50_000
            # What a full collection still walks: the frozen objects are out of every generation.
            assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()


async def test_the_setting_turns_it_off(context: AppContext) -> None:
    # As tests run: their processes build and drop many applications.
    assert context.settings.gc_freeze_after_startup is False
    gc.unfreeze()
    app = create_app(context.settings)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() == 0
