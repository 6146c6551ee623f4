"""What Python's JSON reader lets through that JSON from outside must not bring in."""

from typing import Any


def refuse_constant(name: str) -> Any:
    """`parse_constant` for json.loads: Python accepts NaN and Infinity, which JSON (RFC 8259) does not have."""
    raise ValueError(f"{name} is not a JSON number")


def depth(value: Any) -> int:
    """How many objects and arrays deep `value` goes; counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest
