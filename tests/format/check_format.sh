#!/usr/bin/env bash
# Format.clang_format: every C++ file of ours follows .clang-format, checked with clang-format 14
# (Debian's). To fix what it reports: clang-format -i FILE... (or the whole list below).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# Not the files with EM_JS/EM_ASM: their macro arguments are JavaScript, which clang-format
# takes for C++ and breaks ("() => x" becomes "() = > x").
mapfile -t files < <(find src tests bench \( -name '*.cpp' -o -name '*.hpp' \) -exec grep -LE 'EM_JS|EM_ASM' {} + | sort)
if clang-format --dry-run -Werror --style=file "${files[@]}"; then
  echo "ok: ${#files[@]} files follow .clang-format"
else
  echo "not formatted: run clang-format -i on the files above" >&2
  exit 1
fi
