#!/usr/bin/env bash
# Proves that a freshly scaffolded connector builds and passes its tests.
#
# Copies this working tree (tracked and untracked, non-ignored files) to a temporary folder, runs the
# ScaffoldConnector plugin there, adds the connector to that copy's Package.swift, then builds its module and runs
# its tests. The working tree itself is never modified.
#
# Environment:
#   SYNCHUB_SCAFFOLD_SCRATCH  build folder (--scratch-path) to reuse between runs, so dependencies are not rebuilt;
#                             default: the copy's own .build, deleted with it
#   SYNCHUB_SCAFFOLD_NAME     connector name (default: Acme)
#   SYNCHUB_SCAFFOLD_KEEP=1   keep the copy afterwards for inspection
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && git rev-parse --show-toplevel)
name=${SYNCHUB_SCAFFOLD_NAME:-Acme}
copy=$(mktemp -d "${TMPDIR:-/tmp}/synchub-scaffold-check.XXXXXX")
scratch=${SYNCHUB_SCAFFOLD_SCRATCH:-$copy/.build}
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)

cleanup() {
    if [ "${SYNCHUB_SCAFFOLD_KEEP:-0}" = 1 ]; then echo "kept the copy in $copy"; else rm -rf "$copy"; fi
}
trap cleanup EXIT

started=$SECONDS
step() { printf '\n== [%ss] %s\n' $((SECONDS - started)) "$*"; }

step "Copying $repo to $copy"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$copy"
# Package.resolved is ignored by git; reuse it so the copy builds the same dependency versions.
if [ -f "$repo/Package.resolved" ]; then cp "$repo/Package.resolved" "$copy/"; fi
cd "$copy"

step "Scaffolding $name with the plugin"
swift package --scratch-path "$scratch" --allow-writing-to-package-directory scaffold-connector --name "$name"
for file in "Sources/Connectors/$name/${name}Connector.swift" "Sources/Connectors/$name/README.md" \
    "Tests/Connectors/$name/${name}ConnectorTests.swift" "Tests/Connectors/$name/Fixtures/contacts.jsonl"; do
    [ -f "$file" ] || { echo "error: the plugin did not write $file" >&2; exit 1; }
done

step "Checking that a second run refuses to overwrite"
if swift package --scratch-path "$scratch" --allow-writing-to-package-directory scaffold-connector --name "$name" \
    >/dev/null 2>&1; then
    echo "error: scaffolding $name twice succeeded; it must refuse to overwrite" >&2
    exit 1
fi

step "Adding \"$name\" to the connectors list in Package.swift"
sed -i.bak -E "s/^let connectors = \[(.*)\]/let connectors = [\1, \"$name\"]/" Package.swift && rm -f Package.swift.bak
grep -E "^let connectors = \[.*\"$name\"\]" Package.swift || {
    echo "error: could not add \"$name\" to the one-line \`let connectors = [...]\` in Package.swift" >&2
    exit 1
}

step "Building ${name}Connector"
swift build --scratch-path "$scratch" --target "${name}Connector"

step "Running ${name}ConnectorTests"
swift test --scratch-path "$scratch" --filter "${name}ConnectorTests"

step "The scaffolded $name connector builds and passes its tests"
