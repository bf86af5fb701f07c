"""Accessibility in the browser tests: axe-core's audit and a watch on the keyboard focus.

``audit(page, state)`` runs axe-core (npm's, from node_modules: ``npm ci`` installs it) in
the page and fails on any violation in the package's markup; the page's own (Django's,
Unfold's, Wagtail's) are printed, not failed: they are there with or without the package.
``watch_focus(page)`` records every moment the focus, once on the page, falls to <body>;
``tab_to`` and ``choose_with_keyboard`` drive a page as a keyboard user does, ``network``
holds an upload mid-way (Chromium's network emulation) or fails it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, A and AA, and axe's best practices: what the audit of issue 23 used.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# What the package puts in a page: its panels, status, errors, previews, its bars and
# buttons in Wagtail's forms (data-s3f-bar, data-s3f-cancel), its live regions.
OURS = (
    ".s3file-admin, .s3file-status, .s3file-errors, .s3file-preview, .s3file-kept,"
    " .s3file-kept-errors, [data-s3f-errors], [data-s3f-error], [data-s3f-bar],"
    " [data-s3f-cancel], [data-s3f-status], #wagtail-s3file-status"
)
# Elements of the page whose ARIA only is the package's: a direct-upload input
# (aria-invalid, aria-describedby) and the Wagtail bars it fills (data-s3f-aria): their
# aria-* violations are ours, the rest (Wagtail's colours, say) the page's.
ARIA_ONLY = "input[data-s3f-url], [data-s3f-aria]"

# Rules about the page's structure, not about any markup: "region" (content outside
# landmarks) flags the package's status too on a page without a <main> (django-unfold's),
# as it flags every field of the form it sits in.
PAGE_RULES = {"region"}

# In the page: axe's violations, each node marked as ours or the page's.
RUN = """async ([ours, ariaOnly, tags, pageRules]) => {
  const { violations } = await axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
  });
  const owner = (rule, target) => {
    const element = document.querySelector(target[target.length - 1]);
    if (!element || pageRules.includes(rule)) return "page";
    if (element.closest(ours)) return "ours";
    const aria = rule.startsWith("aria-");
    return aria && element.closest(ariaOnly) ? "ours" : "page";
  };
  return violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id, impact: rule.impact, target: node.target.join(" "),
    owner: owner(rule.id, node.target), html: node.html.slice(0, 160),
  })));
}"""


def violations(page: Any) -> list[dict]:
    """axe-core's violations in the page as it is, one per node, each with its ``owner``."""
    if not page.evaluate("typeof window.axe === 'object'"):
        if not AXE.exists():
            raise FileNotFoundError(f"{AXE} is missing: run `npm ci` (package.json has axe-core)")
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN, [OURS, ARIA_ONLY, TAGS, sorted(PAGE_RULES)])


def summary(found: list[dict]) -> str:
    """``rule (impact) x count`` for each rule, or ``none``."""
    counts: dict[str, int] = {}
    for item in found:
        name = f"{item['rule']} ({item['impact']})"
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{name} x{count}" for name, count in sorted(counts.items())) or "none"


def audit(page: Any, state: str) -> list[dict]:
    """Fail on axe violations in the package's markup; print the page's own. Returns all."""
    found = violations(page)
    ours = [item for item in found if item["owner"] == "ours"]
    theirs = [item for item in found if item["owner"] == "page"]
    print(f"axe {state}: ours: {summary(ours)}; the page's own: {summary(theirs)}")
    assert ours == [], f"axe violations in the package's markup ({state}): {ours}"
    return found


# Reports each time the focus, after it was first on something, is found on <body> (or on
# nothing): at every frame and after every focusout. A binding: it outlives the page.
WATCH_FOCUS = """
(() => {
  let started = false;
  const check = (why) => {
    const active = document.activeElement;
    if (started && (!active || active === document.body)) {
      window.s3fileFocusLost(`${why} on ${location.pathname}`);
    }
  };
  window.addEventListener("focusin", () => { started = true; }, true);
  window.addEventListener("focusout", () => setTimeout(() => check("focusout")), true);
  const frame = () => { check("frame"); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();
"""


def watch_focus(page: Any) -> None:
    """Record, on every page ``page`` loads from now on, each time the focus falls to <body>."""
    page.focus_lost = []
    page.expose_function("s3fileFocusLost", lambda moment: page.focus_lost.append(moment))
    page.add_init_script(WATCH_FOCUS)


def focus_lost(page: Any) -> list[str]:
    """The moments the focus was found on <body>, on any page so far (see ``watch_focus``)."""
    return list(page.focus_lost)


def focused(page: Any) -> str:
    """The focused element, as ``tag#id.class`` plus its text, for assertions."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}`
          + `${e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : ""}`
          + ` ${(e.textContent || "").trim().slice(0, 40)}`.trimEnd(); }"""
    )


def network(page: Any, upload: int = -1, offline: bool = False) -> None:
    """Slow the browser's uploads to ``upload`` bytes a second, or cut its network (Chromium's
    own emulation, through one DevTools session a page: a second one's would not apply)."""
    if not hasattr(page, "cdp"):
        page.cdp = page.context.new_cdp_session(page)
        page.cdp.send("Network.enable")
    conditions = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": upload}
    page.cdp.send("Network.emulateNetworkConditions", {"offline": offline, **conditions})


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element ``selector`` names has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}; it is on {focused(page)}")


def choose_with_keyboard(page: Any, path: Path) -> None:
    """Open the focused file input's chooser with the keyboard and choose ``path``."""
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(path)
