#!/usr/bin/env python3
"""Drives Debian's Chromium, headless, against a running casework server
with demo data: /dashboard sends a visitor to /signin, where a leadership
officer signs in with a name and a password (a wrong password first),
reads the numbers on the page and checks them against the statistics API
(called with the officer's token), switches to English and back, checks
that both languages render (direction, labels, digits), that the console
shows no errors, signs out, and saves screenshots and an A4 PDF of the
printed page.

    python tests/browser/dashboard.py --url http://127.0.0.1:18090 \
        --token TOKEN --user NAME --password PASSWORD --out target/browser

Exits non-zero, naming the check, when one fails.
"""

import argparse
import json
import os
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
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    headline = api(args.url, args.token, "/api/statistics/headline")
    backlog = api(args.url, args.token, "/api/statistics/backlog")
    breaches = api(args.url, args.token, "/api/statistics/sla-breaches")
    portal = api(args.url, args.token, "/api/statistics/agencies")
    check(headline["applications_received"] > 0, "the server holds demo data")

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
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
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

        page.click("#lang-en")
        page.wait_for_selector('.panel[data-lang="en"]')
        check(page.locator("html").get_attribute("dir") == "ltr", "English switches to left-to-right")
        check("Applications received" in page.locator(".kpis").inner_text(), "English labels render")
        shown = page.locator(".kpi[data-kpi=applications_received] .v").inner_text()
        check(shown == f"{headline['applications_received']:,}", f"English figures in Western digits ({shown})")
        check(kpi("applications_received") == headline["applications_received"], "English shows the same figures")
        page.screenshot(path=os.path.join(args.out, "dashboard-en.png"), full_page=True)

        page.emulate_media(media="print")
        check(not page.locator("#lang-en").is_visible(), "printing hides the controls")
        page.pdf(path=os.path.join(args.out, "dashboard-en.pdf"), format="A4", print_background=True)
        page.emulate_media(media="screen")

        page.click("#lang-ar")
        page.wait_for_selector('.panel[data-lang="ar"]')
        check(page.locator("html").get_attribute("dir") == "rtl", "back to Arabic, right-to-left")

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

    check(not outside, f"nothing was fetched from outside the server {outside}")
    check(not errors, f"the console has no errors {errors}")
    print("screenshots in " + args.out)


if __name__ == "__main__":
    main()
