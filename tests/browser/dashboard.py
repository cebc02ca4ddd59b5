#!/usr/bin/env python3
"""Drives Debian's Chromium, headless, against a running casework server
with demo data: /dashboard sends a visitor to /signin, where a leadership
officer signs in with a name and a password (a wrong password first),
reads the numbers on the page and checks them against the statistics API
(called with the officer's token), switches to English and back, checks
that both languages render (direction, labels, digits), that the console
shows no errors, signs out, and saves screenshots and an A4 PDF of the
printed page. The charts are honest: the running week is marked partial,
the line charts have axes with ticks and units, every chart has its
figures in a table beside it, every place is named (no code in the page's
text), Arabic is written in one digit system, the workflow runs right to
left in Arabic, each headline figure shows a week and four weeks ago, and
the page fits 360 px and 1400 px wide in both languages without the page
scrolling sideways. Drill-down goes from a district to its offices and
from a stage to its districts; leadership gets counts only, a supervisor
(with --supervisor-user) a link on to the cases in the workbench.

    python tests/browser/dashboard.py --url http://127.0.0.1:18090 \
        --token TOKEN --user NAME --password PASSWORD --out target/browser \
        [--supervisor-user NAME --supervisor-password PASSWORD]

Exits non-zero, naming the check, when one fails.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import urllib.request

from playwright.sync_api import sync_playwright

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def api(url, token, path):
    request = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)
    print("ok: " + message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True, help="for the statistics API the page is checked against")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default="target/browser")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--axe", help="axe-core's axe.min.js, injected into the page in both languages")
    parser.add_argument("--supervisor-user")
    parser.add_argument("--supervisor-password")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    headline = api(args.url, args.token, "/api/statistics/headline")
    backlog = api(args.url, args.token, "/api/statistics/backlog")
    breaches = api(args.url, args.token, "/api/statistics/sla-breaches")
    portal = api(args.url, args.token, "/api/statistics/agencies")
    check(headline["applications_received"] > 0, "the server holds demo data")
    places = api(args.url, args.token, "/api/reference/places")
    codes = set()
    for district in places:
        codes.add(district["code"])
        for office in district["offices"]:
            codes.add(office["code"])

    errors = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile,
            executable_path=args.chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            viewport={"width": 1400, "height": 1000},
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text + " " + str(m.location.get("url", ""))) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 404 else None)
        # Anything the page asks for beyond the server is an error.
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not (r.url.startswith(args.url) or r.url.startswith("data:") or r.url.startswith("blob:")) else None)

        page.goto(args.url + "/dashboard")
        check(page.locator("html").get_attribute("dir") == "rtl", "the page opens right-to-left")
        check(page.locator("html").get_attribute("lang") == "ar", "the page opens in Arabic")
        check(page.locator("#signin").is_visible() and page.locator("#token").count() == 0,
              "the page sends a visitor to sign in, asking for no token")
        check(page.locator(".kpi").count() == 0, "no figures before signing in")
        # The panel's refused request (401) is logged by Chromium as a failed
        # resource: expected.
        errors.clear()

        page.click("#signin-link")
        page.wait_for_selector("form[action='/signin'] #username")
        check("/signin" in page.url and page.locator("html").get_attribute("dir") == "rtl",
              "the sign-in page opens, right-to-left")
        page.screenshot(path=os.path.join(args.out, "signin-ar.png"), full_page=True)
        page.fill("#username", args.user)
        page.fill("#password", "not the password at all")
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_selector(".error-summary")
        check("/signin" in page.url and page.locator(".kpi").count() == 0,
              "a wrong password shows the form again and no figures")
        check(page.locator("#username").input_value() == args.user, "the name typed is kept")
        page.screenshot(path=os.path.join(args.out, "signin-refused-ar.png"), full_page=True)

        page.fill("#password", args.password)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_selector(".kpi[data-kpi=applications_received]")
        check(page.url.endswith("/dashboard"), "signing in leads back to the dashboard")

        def kpi(key):
            return int(page.locator(f".kpi[data-kpi={key}]").get_attribute("data-value"))

        for key in ["applications_received", "persons_covered", "persons_registered",
                    "cards_collected", "applications_open"]:
            check(kpi(key) == headline[key], f"tile {key} = {headline[key]} as the API says")
        check(kpi("cards_due") == headline["cards_due"]["total"], "tile cards_due as the API says")
        check(kpi("sla_breaches") == breaches["total_breached"], "tile sla_breaches as the API says")
        for part in ["under_age", "abroad", "awaiting_appearance", "in_production"]:
            value = int(page.locator(f"[data-due={part}]").get_attribute("data-value"))
            check(value == headline["cards_due"][part], f"cards due {part} as the API says")
        for state in backlog["by_state"]:
            node = page.locator(f'g.node[data-state="{state["state"]}"]')
            check(int(node.get_attribute("data-value")) == state["families"],
                  f"diagram box {state['state']} shows {state['families']}")
        per_district = {}
        for row in backlog["rows"]:
            per_district[row["district"]] = per_district.get(row["district"], 0) + row["families"]
        for district, families in per_district.items():
            bar = page.locator(f'text[data-district="{district}"]')
            check(int(bar.get_attribute("data-value")) == families, f"bar {district} = {families}")

        for row in portal["agencies"]:
            name, queries, refused = row["agency"], row["queries"], row["refused"]
            tr = page.locator(f'tr[data-agency="{name}"]')
            check(int(tr.get_attribute("data-queries")) == queries
                  and int(tr.get_attribute("data-refused")) == refused,
                  f"agency portal row {name}: {queries} queries, {refused} refused")

        shown = page.locator(".kpi[data-kpi=applications_received] .v").inner_text()
        check(all(c in ARABIC_DIGITS + "٬" for c in shown), f"Arabic figures in Arabic digits ({shown})")
        check("الطلبات الواردة" in page.locator(".kpis").inner_text(), "Arabic labels render")
        check(page.locator("svg.chart").count() >= 5, "the charts render as inline SVG")
        page.screenshot(path=os.path.join(args.out, "dashboard-ar.png"), full_page=True)
        honest_charts(page, "ar", codes)
        accessible(page, "ar", args.axe)
        fits(page, "ar", args.out)

        page.click("#lang-en")
        page.wait_for_selector('.panel[data-lang="en"]')
        check(page.locator("html").get_attribute("dir") == "ltr", "English switches to left-to-right")
        check("Applications received" in page.locator(".kpis").inner_text(), "English labels render")
        shown = page.locator(".kpi[data-kpi=applications_received] .v").inner_text()
        check(shown == f"{headline['applications_received']:,}", f"English figures in Western digits ({shown})")
        check(kpi("applications_received") == headline["applications_received"], "English shows the same figures")
        page.screenshot(path=os.path.join(args.out, "dashboard-en.png"), full_page=True)
        honest_charts(page, "en", codes)
        accessible(page, "en", args.axe)
        fits(page, "en", args.out)
        drill_down(page, args.url, args.out, cases_links=False)

        page.emulate_media(media="print")
        check(not page.locator("#lang-en").is_visible(), "printing hides the controls")
        page.pdf(path=os.path.join(args.out, "dashboard-en.pdf"), format="A4", print_background=True)
        page.emulate_media(media="screen")

        page.goto(args.url + "/dashboard")
        page.wait_for_selector('.panel[data-lang="en"]')
        page.click("#lang-ar")
        page.wait_for_selector('.panel[data-lang="ar"]')
        check(page.locator("html").get_attribute("dir") == "rtl", "back to Arabic, right-to-left")
        page.emulate_media(media="print")
        page.pdf(path=os.path.join(args.out, "dashboard-ar.pdf"), format="A4", print_background=True)
        page.emulate_media(media="screen")

        page.reload()
        page.wait_for_selector(".kpi[data-kpi=applications_received]", timeout=10000)
        check(page.locator("#signin").is_hidden() and kpi("applications_received") == headline["applications_received"],
              "the session survives a reload of the tab")
        page.click("#signout")
        page.wait_for_selector("form[action='/signin'] #username")
        check("/signin" in page.url, "signing out leads to the sign-in page")
        page.goto(args.url + "/dashboard")
        page.wait_for_selector("#signin:not([hidden])")
        check(page.locator(".kpi").count() == 0, "signed out, the dashboard shows no figures")
        # Again the panel's 401 after signing out: expected.
        errors.clear()
        browser.close()

        if args.supervisor_user:
            supervisor(p, args, errors)

    check(not outside, f"nothing was fetched from outside the server {outside}")
    check(not errors, f"the console has no errors {errors}")
    print("screenshots in " + args.out)


def panel_ready(page, lang):
    page.wait_for_selector(f'.panel[data-lang="{lang}"]')


def honest_charts(page, lang, codes):
    """The charts say what they count, mark the running week, and name places."""
    partial = page.locator("svg.chart rect.partial")
    check(partial.count() >= 2, f"[{lang}] the running week is drawn hatched in both weekly charts")
    days = int(partial.first.get_attribute("data-partial-days"))
    check(1 <= days <= 7, f"[{lang}] the running week is {days} of 7 days")
    check(page.locator(".legend .partial-note").count() >= 2
          and page.locator("text.partial-label").count() >= 2,
          f"[{lang}] the running week is labelled as partial")
    check(page.locator("details.figures tr.partial[data-partial=true]").count() >= 2,
          f"[{lang}] the tables mark the running week's row as partial")
    for i in range(page.locator("svg.chart").count()):
        chart = page.locator("svg.chart").nth(i)
        if "diagram" in (chart.get_attribute("class") or ""):
            continue
        check(chart.locator("text.unit").count() >= 1, f"[{lang}] chart {i} says its unit")
        check(chart.locator("title").count() >= 2, f"[{lang}] chart {i} shows values on hover")
    lines = page.locator("svg.chart:has(polyline)")
    for i in range(lines.count()):
        check(lines.nth(i).locator("text.tick").count() >= 4, f"[{lang}] line chart {i} has ticks on both axes")
    check(page.locator("details.figures table").count() >= 4, f"[{lang}] each chart has its table beside it")
    check(page.locator(".kpi .trend[data-week-ago]").count() >= 5,
          f"[{lang}] the headline figures show a week and four weeks ago")
    check(page.locator("#targets").count() == 1, f"[{lang}] the targets card is shown")
    # Officers' and agencies' account names (cells in `dir=ltr`) are
    # identifiers, not places: left out.
    text = page.evaluate("""() => { const c = document.getElementById('panel').cloneNode(true);
        c.querySelectorAll('td[dir=ltr]').forEach(e => e.remove()); document.body.appendChild(c);
        const t = c.innerText; c.remove(); return t; }""") + " " + page.locator("#district").inner_text()
    shown = sorted(c for c in codes if re.search(r"(?<![\w])" + re.escape(c) + r"(?![\w])", text))
    check(not shown, f"[{lang}] no place code where a name exists {shown}")
    flow = page.locator("svg.diagram")
    check(flow.get_attribute("data-flow") == ("rtl" if lang == "ar" else "ltr"),
          f"[{lang}] the workflow runs {'right to left' if lang == 'ar' else 'left to right'}")
    xs = [float(flow.locator("g.node rect").nth(i).get_attribute("x")) for i in range(2)]
    check((xs[0] > xs[1]) == (lang == "ar"), f"[{lang}] the first stage is on the {'right' if lang == 'ar' else 'left'}")
    if lang == "ar":
        arabic = " ".join(page.locator(sel).inner_text()
                          for sel in [".asof", ".kpis", ".split", "#targets"])
        arabic += " " + " ".join(page.locator("svg.chart text").all_text_contents())
        arabic += " " + " ".join(page.locator("details.figures").all_text_contents())
        western = re.findall(r"[0-9]+", arabic)
        check(not western, f"[ar] one digit system in Arabic (Western digits found: {western[:5]})")
        day = page.locator(".asof bdi time")
        check(day.count() == 1, "[ar] the date is isolated from the sentence")
        check("-" not in day.inner_text() and re.search(r"[\u0660-\u0669]+ [\u0621-\u064a ]+ [\u0660-\u0669]{4}", day.inner_text()),
              f"[ar] the date reads as day, month name, year ({day.inner_text()})")


def accessible(page, lang, axe):
    """axe-core finds nothing serious or critical on the page, folded tables opened."""
    if not axe:
        return
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    # The page's policy runs no inline script, so axe-core is evaluated
    # through the driver rather than added as a <script> element.
    page.evaluate("() => { " + open(axe).read() + "\n; window.axe = axe; }")
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = false)")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    check(not bad, f"[{lang}] axe finds nothing serious: {json.dumps(bad, ensure_ascii=False)}")


def fits(page, lang, out):
    """No sideways scrolling of the page at a phone's width nor a desktop's."""
    for width in (360, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        check(scroll <= inner, f"[{lang}] {width} px wide: the page does not scroll sideways ({scroll} <= {inner})")
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('#panel *'))
            .filter(e => (e.getBoundingClientRect().right > window.innerWidth + 1 || e.getBoundingClientRect().left < -1)
                         && !e.closest('.chart-box, .table-wrap, .card > table'))
            .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
        check(not wide, f"[{lang}] {width} px wide: nothing sticks out of the page {wide}")
        page.screenshot(path=os.path.join(out, f"dashboard-{lang}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def drill_down(page, url, out, cases_links):
    """From a district to its offices and stages, from a stage to its districts."""
    link = page.locator("details.figures th a[href*='district=']").first
    href = link.get_attribute("href")
    page.goto(url + href)
    page.wait_for_selector("table.drill[data-drill=district]")
    check("district=" in page.url and page.locator("table.drill tbody tr").count() >= 1,
          "drill-down: a district shows its offices by stage")
    page.screenshot(path=os.path.join(out, "drill-district.png"), full_page=True)
    stage = page.locator("table.drill thead a[href*='state=']").first
    page.goto(url + stage.get_attribute("href"))
    page.wait_for_selector("table.drill[data-drill=state]")
    check(page.locator("table.drill tbody tr").count() >= 1, "drill-down: a stage shows its districts and offices")
    check((page.locator("a.cases").count() > 0) == cases_links,
          "drill-down: " + ("a supervisor gets links to the cases" if cases_links else "leadership gets counts only, no link to cases"))
    page.goto(url + page.locator("svg.chart a[href*='age=']").first.get_attribute("href"))
    page.wait_for_selector("table.drill[data-drill=age]")
    check(True, "drill-down: an age bucket shows its stages")
    page.goto(url + "/dashboard")
    page.wait_for_selector(".kpi[data-kpi=applications_received]")


def supervisor(p, args, errors):
    """A supervisor drills from a stage to the workbench's list of its cases."""
    with tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=args.chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            viewport={"width": 1400, "height": 1000})
        page = browser.new_page()
        mine = []
        page.on("console", lambda m: mine.append(m.text + " " + str(m.location.get("url", ""))) if m.type == "error" else None)
        page.on("pageerror", lambda e: mine.append(str(e)))
        # As a director would: the dashboard first (its refused panel, 401,
        # is expected), then the sign-in it links to.
        page.goto(args.url + "/dashboard")
        page.wait_for_selector("#signin:not([hidden])")
        page.click("#signin-link")
        page.wait_for_selector("form[action='/signin'] #username")
        mine.clear()
        page.fill("#username", args.supervisor_user)
        page.fill("#password", args.supervisor_password)
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_selector(".kpi[data-kpi=applications_received]")
        stage = page.locator("svg.diagram a").first.get_attribute("href")
        page.goto(args.url + stage)
        page.wait_for_selector("table.drill[data-drill=state]")
        cases = page.locator("a.cases")
        check(cases.count() > 0, "drill-down: a supervisor gets links to the cases")
        page.goto(args.url + cases.first.get_attribute("href"))
        page.wait_for_selector("main")
        check("/team?" in page.url and page.locator("table tbody tr").count() >= 1,
              "a supervisor's link leads to the workbench's list of those cases")
        page.screenshot(path=os.path.join(args.out, "drill-supervisor-cases.png"), full_page=True)
        errors.extend(mine)
        browser.close()


if __name__ == "__main__":
    main()
