"""The README's Python example runs, and each result is the one it shows in
the comment under it."""

import ast
import re

import articlean  # noqa: F401 (the example imports it too)


def test_readme_python_example(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Python\n") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    lines = code.splitlines()
    scope: dict = {}
    checked = 0
    for node in ast.parse(code).body:
        source = ast.get_source_segment(code, node)
        after = lines[node.end_lineno] if node.end_lineno < len(lines) else ""
        if isinstance(node, ast.Expr) and after.startswith("# "):
            assert eval(source, scope) == ast.literal_eval(after[2:]), source
            checked += 1
        else:
            exec(source, scope)
    assert checked >= 6
