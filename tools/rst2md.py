#!/usr/bin/env python3
"""Render the RST guides of docs/docsite/rst as Markdown pages for Galaxy and Automation Hub.

    .venv/bin/python tools/rst2md.py SOURCE_DIR DEST_DIR      (writes DEST_DIR/<guide>.md)

Galaxy and Automation Hub show a collection's README.md and the Markdown files at the top of its
docs/ directory (galaxy-importer renders them with Python-Markdown and its "extra" extensions);
the antsibull-docs guides in docs/docsite/rst are invisible there. tools/build-release.sh runs this
on the staged tree it builds the tarball from, so each guide has one source, its .rst file.

Cross-references (``:ref:``) become links between the generated pages, antsibull-docs' semantic
roles (``:ansplugin:``, ``:ansopt:`` ...) code text; headings carry their
docutils ids (``{#id}``), so the ``contents`` lists and section references land. Anything this
converter does not know (a node type, a docutils warning, an unknown label, a spanning table
cell) stops it with the file and line, rather than shipping a page with a hole in it.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import roles
from docutils.utils import SystemMessage

ADMONITIONS = (nodes.attention, nodes.caution, nodes.danger, nodes.error, nodes.hint,
               nodes.important, nodes.note, nodes.tip, nodes.warning)
REF_SCHEME = "sphinx-ref:"
# Characters Python-Markdown (and GitHub) would read as markup inside running text.
INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]])")
# A paragraph that starts like a heading, a list item or a block quote.
BLOCK_START = re.compile(r"^(#|[-+>=]|\d+\.)")


class ConversionError(Exception):
    pass


@dataclass(frozen=True)
class Label:
    page: str    # "authentication.md"
    anchor: str  # the section's heading id
    title: str
    top: bool    # the page's own title: other pages link to the page itself


def ref_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """Sphinx's :ref:, kept as a reference the converter resolves across all the pages."""
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text)
    title, label = (match.group(1), match.group(2)) if match else ("", text)
    node = nodes.reference(rawtext, title or label, refuri=REF_SCHEME + label)
    node["explicit_title"] = bool(title)
    return [node], []


def semantic_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """antsibull-docs' :ansplugin:, :ansopt:, :ansretval:, :ansval:, :ansenvvar: as code text: the
    plugin, the option or return value (with its value, if given), the value, the variable."""
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text)
    if match and name == "ansplugin":
        shown = match.group(1)
    elif name == "ansplugin":
        shown = text.split("#", 1)[0]
    elif name in ("ansopt", "ansretval"):
        shown = text.split("#", 1)[1].split(":", 1)[1] if "#" in text else text
    else:
        shown = text
    return [nodes.literal(rawtext, shown)], []


def parse(path: Path) -> nodes.document:
    roles.register_local_role("ref", ref_role)
    for name in ("ansplugin", "ansopt", "ansretval", "ansval", "ansenvvar"):
        roles.register_local_role(name, semantic_role)
    settings = {
        "report_level": 2,           # warnings and worse are printed ...
        "halt_level": 2,             # ... and stop the conversion
        "doctitle_xform": False,     # the page title stays a section: one heading model
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "syntax_highlight": "none",  # code blocks keep plain text children
        "smart_quotes": False,
        "warning_stream": io.StringIO(),  # the SystemMessage raised says it, once
    }
    try:
        return publish_doctree(path.read_text(encoding="utf-8"), source_path=str(path),
                               settings_overrides=settings)
    except SystemMessage as error:  # a problem at halt_level or worse
        raise ConversionError(str(error)) from error


def collect_labels(doctrees: dict[str, nodes.document]) -> dict[str, Label]:
    """Every section name (its label and its title) -> the page and anchor it lives at."""
    labels: dict[str, Label] = {}
    for page, doctree in doctrees.items():
        top = next(iter(doctree.findall(nodes.section)), None)
        for section in doctree.findall(nodes.section):
            title = section.next_node(nodes.title).astext()
            for name in section["names"]:
                labels.setdefault(name, Label(page, section["ids"][0], title, section is top))
    return labels


def fence_for(text: str) -> str:
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(3, longest + 1)


def indent(lines: list[str], prefix: str, first: str | None = None) -> list[str]:
    out = []
    for number, line in enumerate(lines):
        lead = first if number == 0 and first is not None else prefix
        # A blank line inside a block quote keeps its ">", or the quote would end there.
        out.append(f"{lead}{line}" if line else lead.rstrip())
    return out


class Converter:
    def __init__(self, source: Path, page: str, labels: dict[str, Label]):
        self.source = source  # for error messages
        self.page = page      # this page's name, for links to its own headings
        self.labels = labels

    def fail(self, node: nodes.Node, why: str) -> ConversionError:
        line = getattr(node, "line", None) or (node.parent.line if node.parent else None)
        return ConversionError(f"{self.source}:{line or '?'}: {why}")

    # ---- blocks: each returns a list of lines, without a trailing blank line ----------------
    def blocks(self, children, level: int, nested: bool) -> list[str]:
        out: list[str] = []
        for child in children:
            lines = self.block(child, level, nested)
            if lines:
                if out:
                    out.append("")
                out.extend(lines)
        return out

    def block(self, node: nodes.Node, level: int, nested: bool) -> list[str]:
        if isinstance(node, (nodes.target, nodes.comment)):
            return []  # labels are resolved through collect_labels; comments stay private
        if isinstance(node, nodes.system_message):
            if node["level"] < 2:
                return []  # docutils' INFO notes, such as a short line of dashes read as text
            raise self.fail(node, node.astext())
        if isinstance(node, nodes.section):
            title = self.inline(node.next_node(nodes.title))
            heading = f"{'#' * min(level, 6)} {title} {{#{node['ids'][0]}}}"
            body = [child for child in node.children if not isinstance(child, nodes.title)]
            return [heading, "", *self.blocks(body, level + 1, nested)]
        if isinstance(node, nodes.paragraph):
            return [self.paragraph(node)]
        if isinstance(node, nodes.literal_block):
            return self.code(node, nested)
        if isinstance(node, nodes.bullet_list):
            return self.list_items(node, lambda _: "- ", level)
        if isinstance(node, nodes.enumerated_list):
            start = node.get("start", 1)
            return self.list_items(node, lambda number: f"{start + number}. ", level)
        if isinstance(node, nodes.definition_list):
            return self.definition_list(node, level)
        if isinstance(node, nodes.table):
            return self.table(node)
        if isinstance(node, nodes.topic):
            title = node.next_node(nodes.title)
            body = [child for child in node.children if not isinstance(child, nodes.title)]
            head = [f"**{self.inline(title)}**", ""] if title else []
            return head + self.blocks(body, level, nested)
        if isinstance(node, ADMONITIONS):
            label = type(node).__name__.capitalize()
            return indent([f"**{label}:**", "", *self.blocks(node.children, level, True)], "> ")
        if isinstance(node, nodes.block_quote):
            return indent(self.blocks(node.children, level, True), "> ")
        if isinstance(node, nodes.transition):
            return ["* * *"]
        if isinstance(node, (nodes.compound, nodes.container)):
            return self.blocks(node.children, level, nested)
        raise self.fail(node, f"no Markdown rendering for <{node.tagname}>")

    def paragraph(self, node: nodes.Element) -> str:
        text = self.inline(node)
        return f"\\{text}" if BLOCK_START.match(text) else text

    def code(self, node: nodes.literal_block, nested: bool) -> list[str]:
        text = node.astext().rstrip("\n")
        if nested:
            # Python-Markdown does not see fenced blocks inside list items or definitions.
            return indent(text.split("\n"), "    ")
        language = next((c for c in node.get("classes", []) if c != "code"), "")
        fence = fence_for(text)
        return [f"{fence}{language}", *text.split("\n"), fence]

    def list_items(self, node: nodes.Element, marker, level: int) -> list[str]:
        items = [self.blocks(item.children, level, True) for item in node.children]
        loose = any("" in lines for lines in items)
        out: list[str] = []
        for number, lines in enumerate(items):
            if out and loose:
                out.append("")
            # Four columns of continuation indent: what Python-Markdown needs for nesting.
            out.extend(indent(lines, "    ", first=marker(number).ljust(4) if loose else marker(number)))
        return out

    def definition_list(self, node: nodes.definition_list, level: int) -> list[str]:
        out: list[str] = []
        for item in node.children:
            term = self.inline(item.next_node(nodes.term))
            definition = self.blocks(item.next_node(nodes.definition).children, level, True)
            if out:
                out.append("")
            out.extend([term, *indent(definition, "    ", first=":   ")])
        return out

    def table(self, node: nodes.table) -> list[str]:
        group = node.next_node(nodes.tgroup)
        width = group["cols"]
        head = group.next_node(nodes.thead)
        body = group.next_node(nodes.tbody)
        head_rows = [self.row(row, width) for row in head.children] if head else [[""] * width]
        if len(head_rows) != 1:
            raise self.fail(node, "a table needs exactly one header row in Markdown")
        rows = [self.row(row, width) for row in body.children] if body else []
        out = [f"| {' | '.join(head_rows[0])} |", f"|{'|'.join(['---'] * width)}|"]
        out += [f"| {' | '.join(cells)} |" for cells in rows]
        title = node.next_node(nodes.title)
        return ([f"**{self.inline(title)}**", ""] if title and title.parent is node else []) + out

    def row(self, row: nodes.row, width: int) -> list[str]:
        cells = []
        for entry in row.children:
            if entry.get("morecols") or entry.get("morerows"):
                raise self.fail(entry, "spanning table cells have no Markdown form")
            parts = []
            for child in entry.children:
                if isinstance(child, nodes.system_message) and child["level"] < 2:
                    continue
                if not isinstance(child, nodes.paragraph):
                    raise self.fail(entry, f"a table cell holds <{child.tagname}>: only paragraphs fit Markdown")
                parts.append(self.inline(child, in_table=True))
            cells.append("<br>".join(parts))
        if len(cells) != width:
            raise self.fail(row, f"a row of {len(cells)} cells in a table of {width} columns")
        return cells

    # ---- inline: one line of Markdown ---------------------------------------------------------
    def inline(self, node: nodes.Node, in_table: bool = False) -> str:
        return "".join(self.span(child, in_table) for child in node.children)

    def span(self, node: nodes.Node, in_table: bool) -> str:
        if isinstance(node, nodes.Text):
            text = INLINE_SPECIAL.sub(r"\\\1", node.astext().replace("\n", " "))
            text = text.replace("&", "&amp;").replace("<", "&lt;")
            return text.replace("|", "\\|") if in_table else text
        if isinstance(node, nodes.literal):
            code = node.astext().replace("\n", " ")
            ticks = "`" * (max((len(run) for run in re.findall("`+", code)), default=0) + 1)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            return f"{ticks}{pad}{code}{pad}{ticks}"
        if isinstance(node, nodes.strong):
            return f"**{self.inline(node, in_table)}**"
        if isinstance(node, (nodes.emphasis, nodes.title_reference)):
            return f"*{self.inline(node, in_table)}*"
        if isinstance(node, nodes.reference):
            return self.link(node, in_table)
        if isinstance(node, nodes.inline):
            return self.inline(node, in_table)
        if isinstance(node, nodes.target):
            return ""  # the target half of a `text <url>`_ link: the reference carries the URL
        raise self.fail(node, f"no Markdown rendering for inline <{node.tagname}>")

    def link(self, node: nodes.reference, in_table: bool) -> str:
        text = self.inline(node, in_table)
        uri = node.get("refuri", "")
        if uri.startswith(REF_SCHEME):
            name = nodes.fully_normalize_name(uri[len(REF_SCHEME):])
            label = self.labels.get(name)
            if label is None:
                raise self.fail(node, f"unknown :ref: label {name!r}")
            if not node.get("explicit_title"):
                text = INLINE_SPECIAL.sub(r"\\\1", label.title)
            if label.page == self.page:
                return f"[{text}](#{label.anchor})"
            return f"[{text}]({label.page}{'' if label.top else '#' + label.anchor})"
        if uri:
            return f"[{text}]({uri})"
        if node.get("refid"):
            return f"[{text}](#{node['refid']})"
        raise self.fail(node, "a reference without a target")

    def convert(self, doctree: nodes.document) -> str:
        return "\n".join(self.blocks(doctree.children, 1, False)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="directory of the .rst guides")
    parser.add_argument("dest", type=Path, help="directory the .md pages are written to")
    args = parser.parse_args()
    sources = sorted(args.source.glob("*.rst"))
    if not sources:
        print(f"rst2md: no .rst file in {args.source}", file=sys.stderr)
        return 1
    try:
        doctrees = {f"{path.stem}.md": (path, parse(path)) for path in sources}
        labels = collect_labels({page: doctree for page, (_, doctree) in doctrees.items()})
        pages = {page: Converter(path, page, labels).convert(doctree) for page, (path, doctree) in doctrees.items()}
    except ConversionError as error:
        print(f"rst2md: {error}", file=sys.stderr)
        return 1
    args.dest.mkdir(parents=True, exist_ok=True)
    for page, text in pages.items():
        (args.dest / page).write_text(text, encoding="utf-8")
    print(f"rst2md: {len(pages)} guide(s) from {args.source} written to {args.dest} as Markdown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
