"""The migrations build exactly the schema the models describe (no drift, one head)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from shortlist.application.search import is_managed_by_orm
from shortlist.context import AppContext
from shortlist.models import Base
from shortlist.platform.migrate import alembic_config


def test_one_head_and_dated_file_names() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    for revision in script.walk_revisions():
        assert revision.path is not None and revision.path.rsplit("/", 1)[-1][:4].isdigit()


async def test_migrated_schema_matches_the_models(app_context: AppContext) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": is_managed_by_orm}
        )
        return list(compare_metadata(context, Base.metadata))

    async with app_context.database.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert diff == []
