#!/usr/bin/env bash
# `make importer`: the tarball as Galaxy and Automation Hub judge it, then as a new user meets it.
#
#  1. tools/build-release.sh builds build/importer/sinch-est-<version>.tar.gz: plain
#     `ansible-galaxy collection build` of the staged tree, its changelog released;
#  2. galaxy-importer (tests/requirements-importer.txt, .venv-importer) imports it. ansible-test
#     runs inside the importer only where a container engine (podman, docker) exists; otherwise the
#     stage says so (`make sanity` runs ansible-test sanity on the same files). Any ERROR or
#     WARNING line of the importer fails the stage, and tools/check-importer-result.py checks its
#     result: licence, plugin docs, README links inside the tarball, the guides as pages;
#  3. a fresh environment: .venv-runtime holds ansible-core and requests only
#     (tests/requirements-runtime.txt; `pip freeze` must say exactly that). The tarball is
#     installed with its `ansible-galaxy collection install` into a temporary collections path,
#     and the emulator with `pip install <installed collection>/tests/emulator` into a temporary
#     venv, started by tools/with-emulator.py;
#  4. from a temporary directory outside the checkout, with the ansible.cfg the getting started
#     guide shows: the README's first playbook and the installed playbooks/office_acl.yml, each
#     twice (the second run changed=0), then the README playbook again with
#     ANSIBLE_COLLECTIONS_PATH at the checkout (.ansible/collections, `make link`): changed=0.
#     No run may print a warning. Then `ansible-test integration est_trunk` from the installed
#     collection, against the same emulator (started with tests/integration/emulator-config.json);
#  5. tools/check-demo-interrupt.py: `make demo` prints no warning, and Ctrl-C ends it with one
#     line and no traceback, the emulator stopped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if [ "${1:-}" = "--inside-emulator" ]; then
    # Step 4, run by with-emulator.py: SINCH_* and EST_EMULATOR_URL point at the emulator.
    work=$2 installed=$3
    runtime="$repo/.venv-runtime/bin"
    cd "$work/project"
    unset ANSIBLE_CONFIG  # the project's ansible.cfg, found in the current directory, as for a user
    export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
    status=0
    run() {  # label expectation playbook [args...]: expectation "converge" or "no-change"
        local label=$1 expect=$2 log="$work/$1.log" recap
        shift 2
        if ! "$runtime/ansible-playbook" "$@" > "$log" 2>&1; then
            echo "FAIL $label: ansible-playbook failed"; tail -30 "$log"; status=1; return
        fi
        recap=$(sed -n '/^PLAY RECAP/,$p' "$log" | grep -E ' ok=[0-9]+ ' || true)
        if grep -qE '^\[(WARNING|DEPRECATION WARNING)\]' "$log"; then
            echo "FAIL $label: warnings"; grep -E '^\[(WARNING|DEPRECATION WARNING)\]' "$log"; status=1
        elif [ -z "$recap" ] || ! grep -q ' failed=0 ' <<< "$recap"; then
            echo "FAIL $label: no clean PLAY RECAP"; tail -30 "$log"; status=1
        elif [ "$expect" = no-change ] && ! grep -q ' changed=0 ' <<< "$recap"; then
            echo "FAIL $label: expected changed=0: $recap"; status=1
        elif [ "$expect" = converge ] && grep -q ' changed=0 ' <<< "$recap"; then
            echo "FAIL $label: the first run changed nothing: $recap"; status=1
        else
            echo "ok   $label: $(sed -E 's/ +/ /g' <<< "$recap")"
        fi
    }
    export ANSIBLE_COLLECTIONS_PATH="$work/collections"
    run first-playbook-run1 converge first.yml
    run first-playbook-run2 no-change first.yml
    run office-acl-run1 converge "$installed/playbooks/office_acl.yml"
    run office-acl-run2 no-change "$installed/playbooks/office_acl.yml"
    # The server state, read from the emulator rather than from what the modules reported.
    state=$("$runtime/python" - trunks endpoints accessControlLists ipRanges trunkAccessControlLists <<'PY'
import json, os, sys, urllib.request
url = "%s/_emulator/state?project=%s" % (os.environ["EST_EMULATOR_URL"], os.environ["SINCH_PROJECT_ID"])
state = json.load(urllib.request.urlopen(url, timeout=30))
print(" ".join(f"{key}={len(state.get(key) or [])}" for key in sys.argv[1:]))
PY
)
    if [ "$state" = "trunks=1 endpoints=2 accessControlLists=1 ipRanges=2 trunkAccessControlLists=1" ]; then
        echo "ok   emulator state: $state"
    else
        echo "FAIL emulator state: $state (expected one trunk, its two SBCs, the office ACL with two ranges, bound)"
        status=1
    fi
    ANSIBLE_COLLECTIONS_PATH="$repo/.ansible/collections" run checkout-link no-change first.yml

    # The collection's own integration tests run from the installed copy against the shipped
    # emulator, set up as getting_started.rst says (one target: the setup is what is tested).
    printf '%s\n' "est_api_url: $EST_EMULATOR_URL" 'est_project_id: demo-project' 'est_key_id: demo-key' \
        'est_key_secret: demo-secret' 'est_other_project_id: other-project' 'est_other_key_id: other-key' \
        'est_other_key_secret: other-secret' > "$installed/tests/integration/integration_config.yml"
    if (cd "$installed" && env -u SINCH_PROJECT_ID -u SINCH_KEY_ID -u SINCH_KEY_SECRET -u SINCH_EST_API_URL \
            -u SINCH_AUTH_URL -u SINCH_NUMBERS_API_URL PATH="$runtime:$PATH" \
            ansible-test integration est_trunk) > "$work/ansible-test.log" 2>&1; then
        echo "ok   ansible-test integration est_trunk, from the installed collection: $(grep -E ' ok=[0-9]+ ' "$work/ansible-test.log" | tail -1 | sed -E 's/ +/ /g')"
    else
        echo "FAIL ansible-test integration est_trunk, from the installed collection:"; tail -30 "$work/ansible-test.log"
        status=1
    fi
    exit $status
fi

start=$(date +%s)
step_start=""
step() {  # the next step's title, after the time the previous one took
    local now
    now=$(date +%s)
    [ -z "$step_start" ] || echo "    ($((now - step_start)) s)"
    step_start=$now
    echo "==> $*"
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "build: tools/build-release.sh"
tarball=$(tools/build-release.sh build/importer)
echo "tarball: ${tarball#"$repo/"}"

step "galaxy-importer $(.venv-importer/bin/python -c 'from importlib.metadata import version; print(version("galaxy-importer"))')"
engine=""
for candidate in podman docker; do
    # A client without a reachable daemon is no container engine for ansible-test.
    if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then
        engine=$candidate; break
    fi
done
{
    echo "[galaxy-importer]"
    echo "ansible_local_tmp = $work/importer-tmp"
    if [ -n "$engine" ]; then
        echo "run_ansible_test = True"
    else
        echo "run_ansible_test = False"
    fi
} > "$work/galaxy-importer.cfg"
if [ -n "$engine" ]; then
    echo "importer: ansible-test sanity runs inside the importer ($engine)"
else
    echo "importer: ansible-test NOT run by the importer: no working container engine (podman, docker) here;" \
         "make sanity-oldest / sanity-newest run ansible-test sanity on the same files"
fi
mkdir -p "$work/importer"
importer_status=0
(cd "$work/importer" && GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" PATH="$repo/.venv-importer/bin:$PATH" \
    "$repo/.venv-importer/bin/python" -m galaxy_importer.main "$tarball") > "$work/importer.log" 2>&1 \
    || importer_status=$?
sed 's/^/    /' "$work/importer.log" | grep -v '^    Loading ' || true
problems=$(grep -cE '^(WARNING|ERROR|CRITICAL)' "$work/importer.log" || true)
status=0
if [ "$importer_status" -ne 0 ] || ! grep -q '^Importer processing completed successfully' "$work/importer.log"; then
    echo "FAIL galaxy-importer did not complete (exit $importer_status)"; status=1
elif [ "$problems" -ne 0 ]; then
    echo "FAIL galaxy-importer: $problems ERROR/WARNING line(s)"; status=1
else
    echo "ok   galaxy-importer: no error, no warning"
fi
if [ -f "$work/importer/importer_result.json" ]; then
    .venv/bin/python tools/check-importer-result.py "$work/importer/importer_result.json" "$tarball" || status=1
fi

step "fresh environment: .venv-runtime (ansible-core and requests only)"
frozen=$(.venv-runtime/bin/python -m pip freeze | sort -f)
pinned=$(grep -vE '^(#|pip==|$)' tests/requirements-runtime.txt | sort -f)
if [ "$frozen" = "$pinned" ]; then
    echo "ok   pip freeze of .venv-runtime is tests/requirements-runtime.txt ($(wc -l <<< "$frozen") packages)"
else
    echo "FAIL .venv-runtime holds other packages than tests/requirements-runtime.txt:"
    diff <(echo "$pinned") <(echo "$frozen") || true
    status=1
fi
mkdir -p "$work/collections" "$work/project"
# From the user's directory, not the checkout, whose ansible.cfg would find sinch.est linked there.
(cd "$work/project" && env -u ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH="$work/collections" \
    "$repo/.venv-runtime/bin/ansible-galaxy" collection install -p "$work/collections" "$tarball") \
    > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
installed="$work/collections/ansible_collections/sinch/est"
[ -f "$installed/MANIFEST.json" ] || { echo "FAIL the install left no $installed"; cat "$work/install.log"; exit 1; }
echo "ok   ansible-galaxy collection install $(basename "$tarball") -> a temporary collections path"
python3 -m venv "$work/emulator-venv"
if "$work/emulator-venv/bin/python" -m pip install -q --disable-pip-version-check -c tests/requirements.txt \
        "$installed/tests/emulator" > "$work/emulator-install.log" 2>&1; then
    echo "ok   pip install <installed collection>/tests/emulator (a temporary venv)"
else
    echo "FAIL pip install <installed collection>/tests/emulator:"; cat "$work/emulator-install.log"; exit 1
fi

# The project directory of a user: the README's first playbook and the ansible.cfg of
# docs/docsite/rst/getting_started.rst ("Your own playbook directory"), both taken from the
# installed collection, so the stage tests what the docs say.
.venv/bin/python - "$installed" "$work/project" <<'PY'
import re, sys
from pathlib import Path
installed, project = Path(sys.argv[1]), Path(sys.argv[2])
readme = (installed / "README.md").read_text(encoding="utf-8")
section = readme.split("\n## A first playbook", 1)[1]
(project / "first.yml").write_text(re.search(r"```yaml\n(.*?)```", section, re.S).group(1), encoding="utf-8")
guide = (installed / "docs/docsite/rst/getting_started.rst").read_text(encoding="utf-8")
block = re.search(r"\.\. code-block:: ini\n\n(.*?)(?:\n\S|\Z)", guide, re.S)
if not block:
    sys.exit("getting_started.rst has no `.. code-block:: ini` (the ansible.cfg of a playbook directory)")
(project / "ansible.cfg").write_text(re.sub(r"(?m)^   ", "", block.group(1)), encoding="utf-8")
PY
step "playbooks from $work/project (outside the checkout), against the installed emulator"
"$work/emulator-venv/bin/python" tools/with-emulator.py --own-process-group --log "$work/emulator.log" \
    --emulator-arg=--config "--emulator-arg=$installed/tests/integration/emulator-config.json" \
    -- "$0" --inside-emulator "$work" "$installed" || status=1

step "make demo, as at a terminal: no warning, and Ctrl-C ends it with one line"
python3 tools/check-demo-interrupt.py || status=1

echo "    ($(( $(date +%s) - step_start )) s)"
echo "importer: $(( $(date +%s) - start )) s"
exit $status
