"""The exercises' self-checks: a short verdict that says what went wrong,
instead of a traceback."""

import ast
import inspect
import linecache
import re
import traceback
from collections.abc import Callable
from typing import Any

PASSED = "Correct, well done!"


def check(test: Callable[[], Any], hint: str | None = None) -> None:
    """Run an exercise's self-check: `test` asserts what the answer must be
    (or returns False when it is wrong).

    Prints "Correct, well done!", or "Not yet: " and what went wrong (the
    comparison that failed and the values it saw, the name not defined yet,
    or the error), then the hint, if given. Never a traceback, so "Run All"
    never stops at an exercise you have not done yet. Returns None, so a cell
    ending in `check(...)` shows only the verdict.
    """
    try:
        if test() is not False:
            print(PASSED)
            return
        error = None
    except Exception as raised:  # any failure means "not yet"
        error = raised
    try:
        reason = _why_raised(error, test) if error else _why_false(test)
    except Exception:  # explaining the failure must never fail the check
        reason = None
    if reason is None:  # nothing more precise to say than the hint
        reason, hint = hint or "the self-check failed.", None
    print(f"Not yet: {reason}" + (f"\nHint: {hint}" if hint else ""))


def _why_false(test: Callable[[], Any]) -> str | None:
    """Why a lambda returned False: its body, and the values it compared."""
    code = getattr(test, "__code__", None)
    if code is None or code.co_name != "<lambda>":
        return None
    lambdas = [node for node in _nodes(code.co_filename, ast.Lambda) if node.lineno == code.co_firstlineno]
    if len(lambdas) > 1:  # several on one line: the one whose body is this code
        starts = {(line, column) for line, _, column, _ in code.co_positions()}
        lambdas = [node for node in lambdas if (node.body.lineno, node.body.col_offset) in starts]
    if len(lambdas) != 1:
        return None
    return _explain(lambdas[0].body, test.__globals__ | inspect.getclosurevars(test).nonlocals)


def _why_raised(error: Exception, test: Callable[[], Any]) -> str | None:
    """What the exception says, in one line."""
    if type(error) is NameError and error.name:
        return f"`{error.name}` is not defined yet: run your exercise cell first."
    message = _shorten(str(error).strip().split("\n")[0], width=120)
    if isinstance(error, AssertionError):
        found = _failed_assert(error, test)
        if found:
            statement, namespace = found
            failed = _explain(statement.test, namespace)
            return f"{failed} ({message})" if statement.msg and message else failed
        if not message:
            return None
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _failed_assert(error: AssertionError, test: Callable[[], Any]) -> tuple[ast.Assert, dict[str, Any]] | None:
    """The assert statement that failed, in the innermost frame of the test's
    own file, and that frame's names."""
    filename = getattr(getattr(test, "__code__", None), "co_filename", None)
    frames = [
        (frame, line) for frame, line in traceback.walk_tb(error.__traceback__) if frame.f_code.co_filename == filename
    ]
    if not frames:
        return None
    frame, line = frames[-1]
    asserts = [node for node in _nodes(filename, ast.Assert) if node.lineno <= line <= node.end_lineno]
    if not asserts:
        return None
    return max(asserts, key=lambda node: node.lineno), frame.f_globals | dict(frame.f_locals)


def _nodes(filename: str, kind: type[ast.AST]) -> list[Any]:
    """The `kind` nodes of a file's (or a notebook cell's) source, if it can be read."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return []
    return [node for node in ast.walk(tree) if isinstance(node, kind)]


def _explain(expression: ast.expr, namespace: dict[str, Any]) -> str:
    """`a == b is false: a is 1`: for a comparison, each operand evaluated
    again in the test's namespace, unless its value reads as its source
    (3, 'text', Decimal('1.00'))."""
    values = []
    operands = [expression.left, *expression.comparators] if isinstance(expression, ast.Compare) else []
    for operand in operands:
        source = ast.unparse(operand)
        try:
            value = repr(eval(compile(ast.Expression(operand), "<check>", "eval"), namespace))
        except Exception:  # an operand that fails again is left out
            continue
        if value != source:
            values.append(f"{source} is {_shorten(value)}")
    verdict = f"{ast.unparse(expression)} is false"
    return f"{verdict}: {', '.join(values)}" if values else verdict


def _shorten(text: str, width: int = 80) -> str:
    """One line of at most `width` characters."""
    text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text if len(text) <= width else text[: width - 3] + "..."
