"""Browser tests wait on functions, never on bare expressions: under the site's CSP
(`script-src 'self'`) Playwright has to `eval` a bare expression each time it polls, and the
page refuses it, so a wait that is not already true on its first check fails."""

import ast
import re
from pathlib import Path

FUNCTION = re.compile(r"^\s*(async\s+)?(\(|function\b|[A-Za-z_$][\w$]*\s*=>)")
TESTS = Path(__file__).parent


def bare_expression_waits():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "wait_for_function"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and not FUNCTION.match(node.args[0].value)
            ):
                found.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    return found


def test_the_check_sees_a_bare_expression():
    assert not FUNCTION.match("document.title === 'x'")
    assert FUNCTION.match("() => document.title === 'x'")
    assert FUNCTION.match("el => el.open")


def test_every_wait_for_function_polls_a_function():
    assert bare_expression_waits() == []
