"""Reads an Atom feed as a feed reader would, with Python's standard library, and
checks what RFC 4287 requires of it. Prints the entries as JSON (title, id, updated,
links) for the test to compare; exits 1 with every problem found.

Usage: python3 check_atom.py feed.xml
"""

import json
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
problems = []


def need(element, name, where):
    found = element.findall(ATOM + name)
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name}, wants exactly one")
        return None
    return found[0]


def timestamp(element, where):
    if element is None:
        return None
    text = (element.text or "").strip()
    try:
        # RFC 3339: a date, a time and a zone.
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None or "T" not in text:
            raise ValueError
    except ValueError:
        problems.append(f"{where}: updated {text!r} is not an RFC 3339 timestamp")
    return text


def iri(element, where):
    if element is None:
        return None
    text = (element.text or "").strip()
    if not urlsplit(text).scheme:
        problems.append(f"{where}: id {text!r} is not an absolute IRI")
    return text


def links(element, where):
    out = []
    alternates = set()
    for link in element.findall(ATOM + "link"):
        if "href" not in link.attrib:
            problems.append(f"{where}: a link without href")
        rel = link.get("rel", "alternate")
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links of type {key}")
            alternates.add(key)
        out.append({"rel": rel, "type": link.get("type"), "href": link.get("href")})
    return out


def text(element):
    return None if element is None else (element.text or "")


def main(path):
    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        problems.append(f"the root is {root.tag}, not atom:feed")
    feed_title = text(need(root, "title", "feed"))
    iri(need(root, "id", "feed"), "feed")
    timestamp(need(root, "updated", "feed"), "feed")
    feed_links = links(root, "feed")
    if not any(l["rel"] == "self" for l in feed_links):
        problems.append("feed: no link rel=self")
    feed_has_author = root.find(ATOM + "author") is not None
    entries = []
    for n, entry in enumerate(root.findall(ATOM + "entry")):
        where = f"entry {n + 1}"
        title = text(need(entry, "title", where))
        entry_id = iri(need(entry, "id", where), where)
        updated = timestamp(need(entry, "updated", where), where)
        entry_links = links(entry, where)
        if not feed_has_author and entry.find(ATOM + "author") is None:
            problems.append(f"{where}: no author, and the feed has none")
        if entry.find(ATOM + "content") is None and not any(
            l["rel"] == "alternate" for l in entry_links
        ):
            problems.append(f"{where}: neither content nor an alternate link")
        entries.append(
            {"title": title, "id": entry_id, "updated": updated, "links": entry_links,
             "summary": text(entry.find(ATOM + "summary"))}
        )
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        problems.append("two entries share an id")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"title": feed_title, "entries": entries}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
