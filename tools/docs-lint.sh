#!/usr/bin/env bash
# `make docs-lint`: antsibull-docs lint of the collection docs (extra docs, links, and every
# plugin's documentation) in a staged tree, and antsibull-changelog lint of the fragments.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bin="$repo/.venv/bin"
export PATH="$bin:$PATH"  # antsibull-docs runs ansible-doc from PATH
status=0
staged=$(tools/stage.sh build/stage-docs | tail -n 1)
echo "==> antsibull-docs lint-collection-docs --plugin-docs ($staged)"
(cd "$staged" && ANSIBLE_COLLECTIONS_PATH="$repo/build/stage-docs" "$bin/antsibull-docs" lint-collection-docs --plugin-docs .) || status=1
echo "==> antsibull-changelog lint"
"$bin/antsibull-changelog" lint || status=1
[ $status -eq 0 ] && echo "docs-lint: ok"
exit $status
