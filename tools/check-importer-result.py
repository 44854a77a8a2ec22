#!/usr/bin/env python3
"""Check galaxy-importer's result for the tarball: what a Galaxy or Automation Hub reader gets.

    .venv/bin/python tools/check-importer-result.py IMPORTER_RESULT_JSON TARBALL

- the metadata names sinch.est at galaxy.yml's version, under GPL-3.0-or-later, and COPYING ships;
- the tarball's changelog is released: changelog.yaml has that version, CHANGELOG.md its heading,
  and no fragment is left over;
- every plugin (modules, lookup, filter, inventory) has documentation in the result;
- every relative link of the rendered README names a file or directory the tarball holds;
- the documentation pages are exactly the guides of docs/docsite/rst, each rendered whole (as many
  headings, code blocks and tables as its RST source has), and each of their links to another page
  or anchor lands on a page and heading id that exists.
Prints one line per check; exit status 1 when any fails.
"""
from __future__ import annotations

import json
import re
import sys
import tarfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml
from docutils import nodes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rst2md import parse  # noqa: E402  (tools/ is not a package)

REPO = Path(__file__).resolve().parent.parent
PLUGIN_TYPES = {"modules": "module", "lookup": "lookup", "filter": "filter", "inventory": "inventory"}


class Page(HTMLParser):
    """The links, heading ids and counts of tags of one rendered page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: dict[str, int] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def count(self, *tags: str) -> int:
        return sum(self.tags.get(tag, 0) for tag in tags)


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, ok: bool, what: str, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}{'' if ok or not detail else ': ' + detail}")
        self.failed += not ok


def relative_target(href: str) -> str | None:
    """The path a link names inside the collection, or None for URLs and in-page anchors."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    return unquote(parsed.path).removeprefix("./").rstrip("/")


def main() -> int:
    result_path, tarball_path = sys.argv[1:3]
    result = json.loads(Path(result_path).read_text(encoding="utf-8"))
    with tarfile.open(tarball_path) as tarball:
        members = {member.name.rstrip("/") for member in tarball.getmembers()}
        changes = yaml.safe_load(tarball.extractfile("changelogs/changelog.yaml"))
        changelog_md = tarball.extractfile("CHANGELOG.md").read().decode("utf-8")
    check = Checks()

    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))
    metadata = result["metadata"]
    check((metadata["namespace"], metadata["name"], metadata["version"])
          == (galaxy["namespace"], galaxy["name"], galaxy["version"]),
          f"metadata: {metadata['namespace']}.{metadata['name']} {metadata['version']}")
    check(metadata["license"] == ["GPL-3.0-or-later"] and "COPYING" in members,
          "licence: GPL-3.0-or-later, COPYING in the tarball",
          f"{metadata['license']}, COPYING shipped: {'COPYING' in members}")

    version = galaxy["version"]
    released = (changes.get("releases") or {}).get(version) or {}
    # antsibull-changelog's Markdown escapes the dots of a version heading: "## v0\.1\.0".
    heading = "## v" + version.replace(".", "\\.")
    leftover = sorted(name for name in members if re.fullmatch(r"changelogs/fragments/[^/]+", name))
    check(bool(released.get("changes") or released.get("modules") or released.get("plugins"))
          and heading in changelog_md and not leftover,
          f"changelog: {version} released in changelog.yaml and CHANGELOG.md, no fragment left",
          f"changelog.yaml {version}: {sorted(released)}; heading {heading!r} in CHANGELOG.md: "
          f"{heading in changelog_md}; fragments: {leftover}")

    documented = {(item["content_type"], item["content_name"])
                  for item in result["docs_blob"]["contents"] if item["doc_strings"]}
    expected = {(kind, name.split("/")[-1][:-3]) for name in members for directory, kind in PLUGIN_TYPES.items()
                if re.fullmatch(rf"plugins/{directory}/[^_/][^/]*\.py", name)}
    check(expected <= documented and bool(expected), f"plugin documentation: {len(expected)} plugins",
          f"missing {sorted(expected - documented)}")

    readme = Page(result["docs_blob"]["collection_readme"]["html"] or "")
    targets = [target for target in map(relative_target, readme.links) if target]
    missing = [target for target in targets if target not in members]
    check(not missing, f"README: {len(targets)} relative link(s) resolve inside the tarball, "
          f"{len(readme.links) - len(targets)} absolute", f"not in the tarball: {missing}")

    guides = {path.stem: path for path in sorted((REPO / "docs/docsite/rst").glob("*.rst"))}
    files = {item["name"]: Page(item["html"] or "") for item in result["docs_blob"]["documentation_files"]}
    check(set(files) == {f"{name}.md" for name in guides},
          f"documentation pages: {len(files)} for {len(guides)} guides in docs/docsite/rst", f"{sorted(files)}")
    for name, source in guides.items():
        page = files.get(f"{name}.md")
        if page is None:
            continue
        doctree = parse(source)
        want = (len(list(doctree.findall(nodes.section))), len(list(doctree.findall(nodes.literal_block))),
                len(list(doctree.findall(nodes.table))))
        have = (page.count("h1", "h2", "h3", "h4", "h5", "h6"), page.count("pre"), page.count("table"))
        broken = []
        for href in page.links:
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc:
                continue
            target = files.get(parsed.path) if parsed.path else page
            if target is None or (parsed.fragment and parsed.fragment not in target.ids):
                broken.append(href)
        check(want == have and not broken,
              f"docs/{name}.md: {have[0]} headings, {have[1]} code blocks, {have[2]} tables, links land",
              f"RST has {want} (headings, code blocks, tables), HTML {have}; broken links {broken}")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
