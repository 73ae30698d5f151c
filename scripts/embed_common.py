"""Shared by the embed_*.py build steps: C++ raw strings, and writing only what changed."""
import os
import sys


def raw_string(path, text, delimiter):
    """`text` as a C++ raw string literal; stops the build if the text would end it early."""
    if f'){delimiter}"' in text:
        sys.exit(f"{path}: contains the raw-string delimiter {delimiter}")
    return f'R"{delimiter}({text}){delimiter}"'


def write_if_changed(output, content):
    """Rewrites `output` only when its content differs, so the build does not recompile it needlessly."""
    if os.path.exists(output) and open(output, encoding="utf-8").read() == content:
        return
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        f.write(content)
