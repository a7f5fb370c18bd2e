"""The endpoints every versioned record of a campaign has, registered by one call per resource (ADR 0005).

A resource's schemas stay in its app; one `RecordRoutes` per app names how the app finds a campaign and which
access level reads and which writes, and each resource names its selector, services and lookup:

    records = RecordRoutes(router, __name__, campaign=selectors.campaign_for_execution, read=VIEW, write=EDIT)
    records.collection("risks", "risk", RiskIn, RiskOut, rows=selectors.risks, create=services.risk_create)
    records.item("/risks/{risk_id}", RiskOut, lookups.risk_for_user, patch=(RiskPatch, services.risk_update))

Each call registers the handlers the resource would otherwise write out, under the names, paths and path
parameters those have (`list_risks`, `create_risk`, `update_risk` with `risk_id`): the OpenAPI document, its
operation ids and the access matrix read them as hand-written ones. A handler that does more than this
(a filter, a docstring for the document, another access level) stays written out beside the call.

(No `from __future__ import annotations` here: ninja reads the handlers' annotations, which name the schemas
given to each call.)
"""

import inspect
import re
from collections.abc import Callable

from ninja import Query, Router, Schema, Status

from .api_types import PathId, VersionQuery, patch_data, required_version


class RecordRoutes:
    """Registers a campaign's records' usual handlers on one app's router (see the module's docstring)."""

    def __init__(
        self, router: Router, module: str, *, campaign: Callable, read: str, write: str, patch_verb: str = "update"
    ):
        """`campaign(user, campaign_id, need)` finds the campaign with the caller's access; `read` is the level
        that lists and reads a record, `write` the one that creates, changes and deletes it; `patch_verb`
        starts the PATCH handler's name (`update_risk`, `patch_line`)."""
        self.router, self.module, self.campaign = router, module, campaign
        self.read, self.write, self.patch_verb = read, write, patch_verb

    def collection(
        self, tail: str, name: str, schema_in: type[Schema], out: type[Schema], *, create: Callable, rows=None
    ) -> None:
        """`/campaigns/{campaign_id}/<tail>`: GET `list_<name>s` answers `rows(campaign)` (when given), POST
        `create_<name>` answers 201 with `create(actor=, campaign=, data=)`."""
        path = f"/campaigns/{{campaign_id}}/{tail}"
        campaign_for, read, write = self.campaign, self.read, self.write

        def list_records(request, campaign_id: PathId):
            return rows(campaign_for(request.user, campaign_id, read))

        def create_record(request, campaign_id: PathId, payload: schema_in):
            campaign = campaign_for(request.user, campaign_id, write)
            return Status(201, create(actor=request.user, campaign=campaign, data=payload.dict()))

        if rows is not None:
            self._add("GET", path, list[out], f"list_{name}s", list_records)
        self._add("POST", path, {201: out}, f"create_{name}", create_record)

    def item(
        self,
        path: str,
        out: type[Schema],
        lookup: Callable,
        *,
        get: bool = False,
        patch: tuple[type[Schema], Callable] | None = None,
        delete: Callable | None = None,
        record_kw: str = "",
    ) -> None:
        """`/<things>/{<name>_id}`, the record `lookup(user, id, need)` finds: GET `get_<name>` (with `get`),
        PATCH `<patch_verb>_<name>` with `patch = (Patch schema, service(actor=, <name>=, version=, data=))`,
        DELETE `delete_<name>` → 204 with `delete(actor=, <name>=, version=)` (the version from the query,
        checked after access). `record_kw`: the keyword the services take the record by, when not `<name>`."""
        id_name = re.search(r"\{(\w+)\}$", path).group(1)  # risk_id
        name = id_name.removesuffix("_id")
        kw, read, write = record_kw or name, self.read, self.write
        if get:

            def get_record(request, record_id: PathId):
                return lookup(request.user, record_id, read)

            self._add("GET", path, out, f"get_{name}", _with_path_id(get_record, id_name))
        if patch:
            patch_schema, update = patch

            def patch_record(request, record_id: PathId, payload: patch_schema):
                record = lookup(request.user, record_id, write)
                version, data = patch_data(payload)
                return update(actor=request.user, **{kw: record}, version=version, data=data)

            self._add("PATCH", path, out, f"{self.patch_verb}_{name}", _with_path_id(patch_record, id_name))
        if delete:

            def delete_record(request, record_id: PathId, q: Query[VersionQuery]):
                record = lookup(request.user, record_id, write)
                delete(actor=request.user, **{kw: record}, version=required_version(q))
                return Status(204, None)

            self._add("DELETE", path, {204: None}, f"delete_{name}", _with_path_id(delete_record, id_name))

    def section(self, tail: str, name: str, out: type[Schema], read: Callable) -> None:
        """GET `/campaigns/{campaign_id}/<tail>` (handler `name`) answers `read(campaign)`: a part of the campaign
        that is one thing (its settings, its evaluation) rather than a list of records."""
        campaign_for, level = self.campaign, self.read

        def read_section(request, campaign_id: PathId):
            return read(campaign_for(request.user, campaign_id, level))

        self._add("GET", f"/campaigns/{{campaign_id}}/{tail}", out, name, read_section)

    def _add(self, method: str, path: str, response, name: str, handler: Callable) -> None:
        # ninja takes the operation id, summary and URL name from the handler's module and name
        handler.__module__, handler.__name__, handler.__qualname__ = self.module, name, name
        self.router.add_api_operation(path, [method], handler, response=response)


def _with_path_id(handler: Callable, id_name: str) -> Callable:
    """`handler(request, record_id, …)` as a handler whose id parameter is named as in the path (`risk_id`):
    ninja matches path parameters to the signature by name, and the document shows that name."""

    def named(request, **params):
        return handler(request, params.pop(id_name), **params)

    signature = inspect.signature(handler)
    request, record_id, *rest = signature.parameters.values()
    named.__signature__ = signature.replace(parameters=[request, record_id.replace(name=id_name), *rest])
    return named
