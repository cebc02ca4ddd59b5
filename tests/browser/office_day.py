#!/usr/bin/env python3
"""An office's whole day on the workbench, in Debian's Chromium (headless),
with only the accounts `casework serve --demo` prints:

- the director signs in and lands on the dashboard;
- a clerk opens a family of nine from the form; a verifier returns it with
  a reason; the clerk sees the reason on the case and in the queue,
  corrects the family and submits it again;
- a verifier verifies every member in one action; a second verifier gives
  the security clearance; the approver approves (the verifier's hold has
  ended); the registrar registers all nine in one form; the card officer
  takes the family to completed; the history says so and keeps the reason;
- a supervisor gives ten cases to an officer in one submission.

Every page seen is checked at 360 px for sideways scrolling, by axe-core
(nothing serious or critical) and for console errors; the form submissions
for the family are counted and printed, and must be at most 20.

    python tests/browser/office_day.py --url http://127.0.0.1:18091 \
        --accounts serve.out --axe .../axe.min.js --out target/browser/office-day

`--accounts` is what `serve --demo` printed (in English or Arabic).
"""

import argparse
import os
import re
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workbench import LAUNCH_ARGS, Run, check  # noqa: E402

# The roles as `serve --demo` prints them, in both languages.
ROLE_WORDS = {
    "clerk": ("intake clerk", "موظف الاستلام"),
    "verifier": ("verifier", "المدقق"),
    "approver": ("approver", "موظف الموافقة"),
    "registrar": ("registrar", "أمين السجل المدني"),
    "card_officer": ("card officer", "موظف البطاقات"),
    "supervisor": ("supervisor", "المشرف"),
}

# Which role works a stage, by the stage's Arabic name (for the supervisor's
# assignment: a case goes to an officer whose role works its state).
STAGE_ROLE = {
    "استلام الطلب": "clerk",
    "التدقيق": "verifier",
    "الموافقة": "approver",
    "القيد في السجل المدني": "registrar",
    "أخذ الصورة والبصمات": "card_officer",
    "طباعة البطاقات وتسليمها": "card_officer",
}

BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))


def read_accounts(path):
    """The director's password and the officers (name, role words) from
    what `serve --demo` printed; officers share one password."""
    text = open(path, encoding="utf-8").read().translate(BIDI)
    passwords = re.findall(r"(?:password|كلمة المرور) (\S+?)[،,;؛]?(?:\s|$)", text)
    check(len(passwords) >= 2, f"serve --demo printed the director's and the officers' passwords ({len(passwords)})")
    officers = {}
    for name, roles in re.findall(r"^\s+(demo\.[a-z]+\d*)[^:]*: (.+)$", text, re.M):
        for role, words in ROLE_WORDS.items():
            if any(w == roles.strip() or roles.strip().startswith(w) for w in words):
                officers.setdefault(role, []).append(name)
    for role in ROLE_WORDS:
        check(role in officers, f"the demo prints a {role}: {officers.get(role)}")
    check(len(officers["verifier"]) >= 2, "the demo prints two verifiers (the clearance is a second verifier's)")
    return passwords[0], passwords[1], officers


class Day(Run):
    """The workbench's journey helpers, and every page seen kept to
    check for sideways scrolling and console errors."""

    def __init__(self, args, browser):
        super().__init__(args, browser)
        self.console = []

    def context(self, lang="ar", width=1280, height=900):
        context = super().context(lang, width, height)
        context.on("console", lambda m: m.type == "error" and self.console.append(f"{m.text} ({m.location})"))
        context.on("weberror", lambda e: self.console.append(str(e.error)))
        return context

    def look(self, page, name):
        super().look(page, name)
        self.fits(page, name)

    def fits(self, page, name):
        """No sideways scroll at 360 px."""
        page.set_viewport_size({"width": 360, "height": 780})
        wide = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size({"width": 1280, "height": 900})
        check(wide <= 360, f"{name} fits a 360 px phone ({wide} px)")

    def submit(self, locator):
        self.submissions += 1
        locator.click()
        locator.page.wait_for_load_state()


def fill_date(page, name, iso):
    """A date into the form, as one box or as day, month and year boxes."""
    boxes = page.locator(f"input[name^='{name}']:not([type=hidden])")
    if boxes.count() == 1:
        boxes.fill(iso)
        return
    year, month, day = iso.split("-")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        which = box.get_attribute("name")[len(name):]
        box.fill(day if "day" in which else month if "month" in which else year)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--out", default="target/browser/office-day")
    parser.add_argument("--axe")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    director_password, password, officers = read_accounts(args.accounts)
    args.officer = [f"{role}={names[0]}:{password}" for role, names in officers.items()]
    args.officer.append(f"clearer={officers['verifier'][1]}:{password}")
    args.officer.append(f"director=demo.director:{director_password}")
    url = args.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=LAUNCH_ARGS)
        run = Day(args, browser)

        # The director lands on the dashboard.
        page = run.sign_in(run.context(), "director")
        check(page.url.rstrip("/").endswith("/dashboard"), f"the director lands on the dashboard ({page.url})")
        run.look(page, "director-home")

        # The clerk opens a family of nine.
        clerk = run.context()
        page = run.sign_in(clerk, "clerk")
        run.look(page, "clerk-home")
        page.goto(url + "/applications/new")
        page.select_option("select[name=office]", "qamishli_1")
        page.check("input[name=application_form]")
        family = "العلي"
        members = [
            ("محمد", "أحمد", "زينب حسن", "male", "head", "1970-03-14"),
            ("فاطمة", "خليل", "سعاد عمر", "female", "spouse", "1975-09-02"),
        ] + [
            (first, "محمد", "فاطمة " + family, sex, "son" if sex == "male" else "daughter", born)
            for first, sex, born in [
                ("علي", "male", "1995-01-20"), ("مريم", "female", "1997-06-11"),
                ("حسن", "male", "2000-12-30"), ("نور", "female", "2004-04-04"),
                ("يوسف", "male", "2008-08-18"), ("سارة", "female", "2013-02-27"),
                ("عمر", "male", "2019-10-05"),
            ]
        ]
        def fill(i, member):
            first, father, mother, sex, relationship, born = member
            prefix = f"members[{i}]."
            page.fill(f"input[name='{prefix}first_name']", first)
            page.fill(f"input[name='{prefix}father_name']", father)
            page.fill(f"input[name='{prefix}mother_name']", mother)
            page.fill(f"input[name='{prefix}family_name']", family)
            fill_date(page, f"{prefix}birth_date", born)
            page.fill(f"input[name='{prefix}birth_place']", "القامشلي")
            page.fill(f"input[name='{prefix}register_number']", f"2210/{i + 1}")
            page.select_option(f"select[name='{prefix}sex']", sex)
            page.select_option(f"select[name='{prefix}relationship']", relationship)
            page.check(f"input[name='{prefix}doc.register_extract']")
            page.check(f"input[name='{prefix}doc.photos']")

        def add(kind, count):
            page.fill("input[name=add_count]", str(count))
            run.submit(page.locator(f"button[name=op][value='add:{kind}']"))
            focused = page.evaluate("document.activeElement && document.activeElement.name || ''")
            check(focused.startswith("members["), f"the focus is on the member added, not the top of the page ({focused!r})")

        # The head, then the spouse, then the seven children at once: each
        # child comes with the parents' names filled in.
        fill(0, members[0])
        add("spouse", 1)
        fill(1, members[1])
        add("son", 7)
        check(page.locator("fieldset.member").count() == 9, "nine members on the form, the seven children added at once")
        check(page.input_value("input[name='members[5].family_name']") == family
              and page.input_value("input[name='members[5].father_name']") == "محمد"
              and page.input_value("input[name='members[5].mother_name']") == "فاطمة " + family,
              "a child added comes with the father's, mother's and family names")
        for i, member in enumerate(members[2:], start=2):
            fill(i, member)
        run.look_here(page, "family-of-nine-form")
        run.submit(page.locator("button[name=op][value=save]:not(.default-submit)"))
        match = re.search(r"/applications/(HSK-\d{4}-\d{6})", page.url)
        check(match is not None, f"the family of nine is opened ({page.url}: {page.inner_text('main')[:400]})")
        reference = match.group(1)
        case_url = url + "/applications/" + reference
        run.act(page, "إحالة إلى التدقيق")

        # A verifier returns it with a reason.
        verifier = run.context()
        page = run.sign_in(verifier, "verifier")
        page.goto(case_url)
        run.look(page, "case-nine-verification")
        reason = "إخراج القيد للابن الثالث غير مصدق"
        run.act(page, "إعادة الطلب إلى مقدمه للاستكمال", {"reason": reason})

        # The clerk sees the reason in the queue and on the case.
        page = clerk.pages[0]
        page.goto(url + "/?state=returned&sort=newest")
        row = page.locator("tr").filter(has=page.locator(f"text={reference}"))
        check(row.count() >= 1, "the returned family is on the first page of the clerk's returned cases")
        check(reason in row.first.inner_text(), f"the queue shows why it came back: {row.first.inner_text()[:300]}")
        run.look(page, "clerk-returned")
        page.goto(case_url)
        banner = page.locator(".why-here")
        check(banner.count() == 1 and reason in banner.inner_text(), "the case says at its top why it came back")
        run.look(page, "case-returned")
        # The clerk corrects the family and submits it again.
        page.goto(case_url + "/edit")
        run.look(page, "case-edit")
        page.fill("input[name='members[4].birth_place']", "القامشلي، حي الهلالية")
        run.submit(page.locator("button[name=op][value=save]:not(.default-submit)"))
        check(re.search(r"/applications/" + reference + r"(\?|#|$)", page.url), f"the correction is saved ({page.url})")
        run.act(page, "إعادة تقديم الطلب")
        # Submitted again, the case is at intake: the clerk sends it on.
        run.act(page, "إحالة إلى التدقيق")

        # The verifier verifies all nine in one action and finishes.
        page = verifier.pages[0]
        page.goto(case_url)
        run.act_all(page, "verify_member")
        run.act(page, "إنهاء التدقيق")
        # The clearance is a second verifier's.
        clearer = run.context()
        page = run.sign_in(clearer, "clearer")
        page.goto(case_url)
        run.act(page, "منح الموافقة الأمنية")

        # The approver: the verifier's hold ended when the case left the
        # verifiers' stages, so the approver is not refused.
        approver = run.context()
        page = run.sign_in(approver, "approver")
        page.goto(case_url)
        run.look(page, "case-nine-approval")
        run.act(page, "الموافقة على طلب العائلة")

        # The registrar registers all nine in one form.
        registrar = run.context()
        page = run.sign_in(registrar, "registrar")
        page.goto(case_url)
        stamp = int(time.time()) % 10**8
        numbers = {i + 1: {"national_number": f"8{stamp:08d}{i:02d}"} for i in range(len(members))}
        run.act_all(page, "register_member", numbers)

        # The card officer takes the family to completed.
        cards = run.context()
        page = run.sign_in(cards, "card_officer")
        page.goto(case_url)
        run.act_all(page, "record_biometrics")
        ticked = [int(v) for v in page.locator("form#do-record_card_printed input[name=members]")
                  .evaluate_all("els => els.map(e => e.value)")]
        run.act_all(page, "record_card_printed", {m: {"card_number": f"SY{stamp % 10**6:06d}{m}"} for m in ticked})
        run.act_all(page, "hand_over_card", {m: {"collector_document": f"بطاقة شخصية {m}"} for m in ticked})
        state = page.locator(".summary-list dd").first.inner_text()
        check("منجز" in state, f"the family of nine is completed ({state})")
        history = page.locator("ol.history").inner_text()
        check("منجز" in history, "the history says the case was completed")
        check(reason in history, "and keeps the reason it was returned for")
        run.look(page, "case-nine-completed")
        family_submissions = run.submissions

        # A supervisor gives ten cases of one stage to one officer at once.
        supervisor = run.context()
        page = run.sign_in(supervisor, "supervisor")
        page.goto(url + "/team")
        run.look(page, "supervisor-home")
        rows = page.locator("form[action='/team/assign'] tbody tr")
        by_stage = {}
        for i in range(rows.count()):
            stage = rows.nth(i).locator("td").nth(2).inner_text().strip()
            if stage in STAGE_ROLE:
                by_stage.setdefault(stage, []).append(i)
        stage, picked = max(by_stage.items(), key=lambda kv: len(kv[1]), default=(None, []))
        check(len(picked) >= 10, f"ten unassigned cases of one stage to give out ({stage}: {len(picked)})")
        for i in picked[:10]:
            rows.nth(i).locator("input[type=checkbox]").check()
        to = run.officers[STAGE_ROLE[stage]][0]
        page.select_option("select[name=user]", to)
        page.locator("form[action='/team/assign'] button[type=submit]").click()
        page.wait_for_load_state()
        notice = page.locator(".notice").first.inner_text() if page.locator(".notice").count() else ""
        check(("١٠" in notice or "10" in notice), f"ten cases given out in one submission: {notice}")
        run.look(page, "supervisor-assigned")

        # Search on a phone.
        page.goto(url + "/search?q=" + "محمد العلي")
        check(reference in page.content(), "the family is found by its head's name")
        run.look(page, "search-nine")

        check(not run.console, f"no console error on any page: {run.console[:5]}")
        browser.close()
    print(f"the office's day passed: {family_submissions} form submissions for the family of nine, end to end")
    check(family_submissions <= 20, f"at most 20 form submissions for the family of nine ({family_submissions})")


if __name__ == "__main__":
    main()
