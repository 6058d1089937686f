"""Saved minutes web pages: scripts, styles, menus, headers and footers dropped; headings keep their level."""

from __future__ import annotations

import re
from pathlib import Path

from index.parsing.document import Document
from index.parsing.readers.text import decode
from index.types import Line

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BOLD_TAGS = {"b", "strong"}
DROPPED_TAGS = ["script", "style", "noscript", "nav", "form", "template", "iframe", "svg"]
# a button is page furniture ('Accepter alle', 'Fold alle punkter ud') unless it heads an item, as an accordion's
# does ('Punkt 7: Budget 2026')
ITEM_BUTTON = re.compile(r"^\s*(?:(?:punkt|pkt\.?|dagsordenspunkt)\s*\d{1,4}(?:\.\d{1,3})*[.:)]?\s+\S"
                         r"|\d{1,4}(?:\.\d{1,3})*[.:)]?\s+\S+\s+\S+)", re.I)
MENU_HINT = re.compile(r"\b(menu|nav|navigation|breadcrumb|cookie|skip-link|topbar|sidebar|banner|feedback|"
                       r"rating|share|updated|last-?modified|site-footer|page-footer)\b", re.I)
# an item number standing in its own cell or before the bold title: '<td>Pkt. 4</td><td><b>Title</b></td>'
NUMBER_LABEL = re.compile(r"^(?:[A-Za-zÆØÅæøå.]{1,9}\s*)?\d{1,4}(?:\.\d{1,3})*[.):]?$")


def read_html(path: Path, data: bytes) -> Document:
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(decode(path, data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all("button"):
        if ITEM_BUTTON.match(tag.get_text(" ", strip=True)):
            tag.name = "h3"  # the item's heading, shown as the panel's title
        else:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        marker = " ".join([*tag.get("class", []), tag.get("id", ""), tag.get("role", "")])
        menu = tag.name in ("div", "ul", "section", "p") and MENU_HINT.search(marker)
        if tag.name in ("header", "footer", "aside") or menu:
            tag.decompose()
    root = soup.body or soup
    lines: list[Line] = []
    current: list[tuple[str, bool]] = []
    level = [0]
    pending_term = [False]

    def flush() -> None:
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(t for t, _ in current)).strip()
        if text:
            bold_chars = sum(len(t.strip()) for t, b in current if b)
            all_chars = sum(len(t.strip()) for t, _ in current) or 1
            plain = re.sub(r"\s+", " ", "".join(t for t, b in current if not b)).strip()
            bold = bold_chars / all_chars > 0.8 or (bold_chars > 0 and bool(NUMBER_LABEL.match(plain)))
            lines.append(Line(text, 1, bold=bold, level=level[0]))
        current.clear()

    def walk(node, bold: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                current.append((str(child), bold))
            elif isinstance(child, Tag):
                strong = bold or child.name in BOLD_TAGS
                if child.name in ("td", "th"):
                    current.append((" ", strong))
                    walk(child, strong)
                    current.append((" ", strong))
                elif child.name in HEADING_TAGS:
                    flush()
                    level[0] = HEADING_TAGS[child.name]
                    walk(child, True)
                    flush()
                    level[0] = 0
                elif child.name == "dt":
                    # a definition list's term and its value are one line: 'Sagsnr.: 25/00112'
                    flush()
                    walk(child, strong)
                    if current:
                        current.append((": ", strong))
                    pending_term[0] = True
                elif child.name == "dd" and pending_term[0]:
                    pending_term[0] = False
                    walk(child, strong)
                    flush()
                elif child.name in BLOCK_TAGS:
                    pending_term[0] = False
                    flush()
                    walk(child, strong)
                    flush()
                else:
                    walk(child, strong)

    walk(root, False)
    flush()
    return Document(path, "html", [lines], title=title)
