"""Cost limits, checked before anything executes: tokens (while parsing), depth, aliases and a computed
complexity (as validation rules). Fragments are expanded where they are spread, so a fragment cannot hide
aliases or depth; a fragment cycle is refused by the standard rules and never followed here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from shortlist.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT

# A list without a `first` argument (share links, templates, event types) counts as this many items.
UNPAGED_LIST_WEIGHT = 10
# Connection fields whose size the parent's `first` already counted.
CONNECTION_LISTS = frozenset({"edges", "nodes"})


@dataclass(frozen=True)
class CostLimits:
    max_depth: int
    max_aliases: int
    max_complexity: int


def _first_of(node: FieldNode, variables: Mapping[str, Any]) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value: Any = None
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(1, min(MAX_LIMIT, value))
        return MAX_LIMIT  # unknown until execution: assume the largest page it could ask for
    return None


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _is_connection(type_: Any) -> bool:
    return isinstance(type_, GraphQLObjectType) and "edges" in type_.fields and "pageInfo" in type_.fields


@dataclass(frozen=True)
class Cost:
    depth: int  # levels below the selection set
    complexity: int
    aliases: int


_NOTHING = Cost(0, 0, 0)


class _Walker:
    """Computes a selection set's cost. A fragment's cost is computed once and added wherever it is spread
    (fragments that each spread the next twice would otherwise cost 2^n steps to walk)."""

    def __init__(self, context: ValidationContext, variables: Mapping[str, Any]) -> None:
        self.context = context
        self.variables = variables
        self.fragments: dict[str, FragmentDefinitionNode] = {
            d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.fragment_costs: dict[str, Cost] = {}

    def selection(self, selections: SelectionSetNode | None, parent: Any, path: frozenset[str]) -> Cost:
        if selections is None:
            return _NOTHING
        depth = complexity = aliases = 0
        for node in selections.selections:
            if isinstance(node, FieldNode):
                name = node.name.value
                if name.startswith("__"):
                    continue  # introspection has its own switch
                field_type = None
                if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                    field = parent.fields.get(name)
                    field_type = field.type if field is not None else None
                child_parent = get_named_type(field_type) if field_type is not None else None
                inner = self.selection(node.selection_set, child_parent, path)
                first = _first_of(node, self.variables)
                if first is not None:
                    weight = first
                elif _is_connection(child_parent):
                    weight = DEFAULT_LIMIT  # a connection without `first` returns a default page
                elif field_type is not None and _is_list(field_type) and name not in CONNECTION_LISTS:
                    weight = UNPAGED_LIST_WEIGHT
                else:
                    weight = 1
                complexity += 1 + weight * inner.complexity
                aliases += inner.aliases + (1 if node.alias is not None else 0)
                depth = max(depth, 1 + inner.depth)
            elif isinstance(node, InlineFragmentNode):
                target = parent
                if node.type_condition is not None:
                    target = self.context.schema.get_type(node.type_condition.name.value) or parent
                inner = self.selection(node.selection_set, target, path)
                complexity, aliases = complexity + inner.complexity, aliases + inner.aliases
                depth = max(depth, inner.depth)
            elif isinstance(node, FragmentSpreadNode):
                inner = self.fragment(node.name.value, parent, path)
                complexity, aliases = complexity + inner.complexity, aliases + inner.aliases
                depth = max(depth, inner.depth)
        return Cost(depth, complexity, aliases)

    def fragment(self, name: str, parent: Any, path: frozenset[str]) -> Cost:
        fragment = self.fragments.get(name)
        if fragment is None or name in path:
            return _NOTHING  # unknown or cyclic: the standard rules report it
        if name not in self.fragment_costs:
            target = self.context.schema.get_type(fragment.type_condition.name.value) or parent
            self.fragment_costs[name] = self.selection(fragment.selection_set, target, path | {name})
        return self.fragment_costs[name]


def cost_rule(limits: CostLimits, variables: Mapping[str, Any] | None = None) -> type[ValidationRule]:
    """A validation rule for one request: `first` given as a variable counts with the value sent."""
    values = variables or {}

    class QueryCost(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            schema = self.context.schema
            root = {
                "query": schema.query_type,
                "mutation": schema.mutation_type,
                "subscription": schema.subscription_type,
            }[node.operation.value]
            name = node.name.value if node.name else "anonymous"
            try:
                cost = _Walker(self.context, values).selection(node.selection_set, root, frozenset())
            except RecursionError:
                # Nesting deeper than Python's stack: far past any depth limit.
                self.report(f"Operation {name} is nested too deeply.", "query-too-deep", node)
                return
            depth, complexity, aliases = cost.depth, cost.complexity, cost.aliases
            if depth > limits.max_depth:
                self.report(
                    f"Operation {name} is {depth} levels deep; the limit is {limits.max_depth}.",
                    "query-too-deep",
                    node,
                )
            if aliases > limits.max_aliases:
                self.report(
                    f"Operation {name} uses {aliases} aliases; the limit is {limits.max_aliases}.",
                    "too-many-aliases",
                    node,
                )
            if complexity > limits.max_complexity:
                self.report(
                    f"Operation {name} costs {complexity} (lists count by their `first`); the limit is "
                    f"{limits.max_complexity}.",
                    "query-too-complex",
                    node,
                )

        def report(self, message: str, code: str, node: OperationDefinitionNode) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": code}))

    return QueryCost
