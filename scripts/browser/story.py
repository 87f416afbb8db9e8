"""The console's story in a real headless Chromium (issue 21), step by step.

    story.py BASE_URL ADMIN_TOKEN SCREENSHOT_DIR

The whole story, through the pages as a person would use them (links, forms, buttons):

1. The cooperative's admin signs in and creates an agency (named `<script>alert(1)</script>`, which must show as
   text and run nothing; a form posted without its CSRF token is refused), a supplier, a solicitation, a Master
   Agreement and the agency's participation instrument; writes the agency's policy (a council threshold that
   sends the purchase to an approver); and issues the agency's buyer and approver tokens, read from the page that
   shows them once.
2. The buyer signs in, cannot reach another agency's pages or the admin's, finds the agreement and checks a
   purchase, which comes back pending.
3. The approver records the council's resolution; the purchase is approved.
4. Cooperative finance opens the buying power report (table and chart) before any purchase order.
5. The buyer registers a purchase order on its page (a table of lines) and uploads a CSV file.
6. Finance sees buying power move in the table and in the chart, and downloads the CSV through its link.
7. Sign-out: the old session cookie opens nothing.

Data no page under test needs (a second agency, the finance token) is made through the JSON API, as an
integration would. Every page visited is saved as a screenshot, named by step; three are also saved small
(1000x800) as `console-*.png` for the README (`docs/`). A failed check raises with the page's title and URL; the
exit status is then 1.
"""
import csv
import datetime
import io
import json
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, ADMIN, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
HOSTILE = "<script>alert(1)</script>"
TODAY = datetime.date.today().isoformat()
# The agency's policy: purchases of $30,000 or more need the city council's resolution.
COUNCIL_THRESHOLD = json.dumps(
    [
        {
            "type": "approval-threshold",
            "parameters": {"amountCents": 3_000_000, "approver": "city-council", "requiresResolution": True},
            "citation": "Story City Code of Ordinances 2-26",
        }
    ],
    indent=2,
)
# The purchase checked: above the threshold.
PURCHASE = {"amount": "45,000.00", "cents": 4_500_000, "category": "43211507", "purpose": "Laptops for the library"}


class Failed(Exception):
    pass


def step(message):
    print(f"browser: {message}", flush=True)


def api(method, path, token=ADMIN, body=None):
    """The JSON API, for data the story needs but is not about."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        raise Failed(f"{method} {path}: {error.code} {error.read().decode(errors='replace')}") from error


def dollars(cents):
    return f"${cents // 100:,}.{cents % 100:02d}"


class Person:
    """One browser: one person's session."""

    shot = 0
    size = (1280, 1000)

    def __init__(self, name):
        self.name = name
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            f"--window-size={Person.size[0]},{Person.size[1]}",
        ):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)

    # Seeing

    def snap(self, label):
        Person.shot += 1
        self.driver.save_screenshot(f"{SHOTS}/{Person.shot:02d}-{self.name}-{label}.png")

    def snap_small(self, name):
        """The page at 1000x800, as `console-{name}.png`: small enough for the repository's docs."""
        self.driver.set_window_size(1000, 800)
        self.driver.save_screenshot(f"{SHOTS}/console-{name}.png")
        self.driver.set_window_size(*Person.size)

    def check(self, condition, what):
        if not condition:
            raise Failed(f"{self.name}: {what} (page '{self.driver.title}' at {self.driver.current_url})")

    def title_is(self, title):
        self.check(self.driver.title == f"{title} · Cooperage", f"expected the page '{title}'")

    def title_starts(self, title):
        self.check(self.driver.title.startswith(title), f"expected a page titled '{title}…'")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def shows(self, words, what):
        self.check(words in self.text(), f"{what}: '{words}' is not on the page")

    def errors(self):
        return [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, "main .error") if element.text]

    def accepted(self, what):
        """After a form: no error is shown."""
        found = self.errors()
        self.check(not found, f"{what} was refused: {found}")

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def last_id(self):
        """The id at the end of the current page's path (a record's page after its form)."""
        return self.path().rstrip("/").split("/")[-1]

    def cookie(self):
        cookie = self.driver.get_cookie("cooperage_session")
        self.check(cookie is not None, "signed in, the browser holds a session cookie")
        return cookie

    # Moving

    def open(self, path, label):
        self.driver.get(BASE + path)
        self.snap(label)
        return self

    def follow(self, text, label, within="main"):
        """Clicks the link with this text."""
        try:
            link = self.driver.find_element(By.CSS_SELECTOR, within).find_element(By.LINK_TEXT, text)
        except NoSuchElementException:
            raise Failed(f"{self.name}: no link '{text}' (page '{self.driver.title}' at {self.driver.current_url})")
        link.click()
        self.snap(label)

    def nav(self, text, label):
        self.follow(text, label, within="nav[aria-label=Main]")

    def fill(self, fields):
        for name, value in fields.items():
            element = self.driver.find_element(By.CSS_SELECTOR, f"main [name='{name}']")
            if element.tag_name == "select":
                element.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
            elif element.get_attribute("type") == "date":
                # A date field's keystrokes follow the browser's locale; a person picks the day, we set it.
                self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)

    def tick(self, *ids):
        for id in ids:
            box = self.driver.find_element(By.ID, id)
            if not box.is_selected():
                box.click()

    def submit(self, label, button="button[type=submit]", form="main form"):
        self.driver.find_element(By.CSS_SELECTOR, f"{form} {button}").click()
        self.snap(label)

    def wait_for_title(self, prefix, seconds=30):
        try:
            WebDriverWait(self.driver, seconds).until(lambda driver: driver.title.startswith(prefix))
        except TimeoutException:
            raise Failed(f"{self.name}: waited {seconds}s for a page titled '{prefix}…' (page '{self.driver.title}')")

    # Sessions

    def sign_in(self, token, small=False):
        self.open("/console/sign-in", "sign-in")
        self.title_is("Sign in")
        if small:
            self.snap_small("sign-in")
        self.fill({"token": token})
        self.submit("signed-in")
        self.title_is("Overview")

    def sign_out(self):
        self.driver.find_element(By.CSS_SELECTOR, "header form button").click()
        self.snap("signed-out")
        self.title_is("Sign in")

    def quit(self):
        self.driver.quit()


# 1. The cooperative's admin


def create_agency(admin):
    """The buyer's agency, through its form; its name is what a hostile admin might type."""
    slug = "story-" + uuid.uuid4().hex[:8]
    admin.nav("Agencies", "agencies")
    admin.follow("New agency", "agency-form")
    admin.fill({"legalName": f"City of Story {HOSTILE}", "slug": slug, "entityType": "city", "state": "TX"})
    admin.submit("agency-created")
    admin.accepted("the new agency")
    admin.check(HOSTILE in admin.driver.title, "the agency's page is titled with its name, as text")
    admin.check(HOSTILE in admin.text(), "the agency's name must show as text")
    try:
        admin.driver.switch_to.alert
        raise Failed("a script in an agency's name ran")
    except NoAlertPresentException:
        pass
    step("the admin created the agency; its hostile name shows as text and runs nothing")
    return admin.last_id(), slug


def csrf_is_required(admin, slug):
    """A form posted without its CSRF token is refused."""
    admin.open("/console/agencies/new", "agency-form-again")
    admin.fill({"legalName": "No Token", "slug": "no-" + slug, "entityType": "city", "state": "TX"})
    admin.driver.execute_script("document.querySelector('main form input[name=_csrf]').remove()")
    admin.submit("csrf-refused")
    admin.title_is("Form expired")
    step("a form posted without its CSRF token was refused")


def create_supplier(admin):
    admin.nav("Suppliers", "suppliers")
    admin.follow("New supplier", "supplier-form")
    name = "Story Computing " + uuid.uuid4().hex[:6]
    admin.fill({"name": name, "ein": "12-3456789", "status": "active"})
    admin.submit("supplier-created")
    admin.accepted("the new supplier")
    admin.title_is(name)
    step(f"the admin created the supplier {name}")
    return admin.last_id()


def create_solicitation(admin, lead):
    admin.nav("Solicitations", "solicitations")
    admin.follow("New solicitation", "solicitation-form")
    number = "RFP-" + uuid.uuid4().hex[:8].upper()
    admin.fill(
        {
            "leadTenantId": lead, "number": number, "title": "Technology products", "method": "rfp",
            "advertisedWhere": "State procurement portal", "advertisedOn": "2025-09-01", "awardBasis": "best-value",
            "awardDate": "2025-12-01",
        }
    )
    admin.tick("cooperativeLanguageInSolicitation", "cooperativeLanguageInContract")
    admin.submit("solicitation-recorded")
    admin.accepted("the new solicitation")
    admin.title_is(f"Solicitation {number}")
    step(f"the admin recorded the solicitation {number}")
    return admin.last_id()


def publish_agreement(admin, supplier, solicitation, lead):
    """From the solicitation's page: its lead, id and title are already in the form."""
    admin.follow("Publish a Master Agreement from this solicitation", "agreement-form")
    admin.title_is("New Master Agreement")
    for name, value in (("solicitationId", solicitation), ("leadTenantId", lead)):
        shown = admin.driver.find_element(By.NAME, name).get_attribute("value")
        admin.check(shown == value, f"the form starts from the solicitation: {name} is '{shown}'")
    number = "MA-" + uuid.uuid4().hex[:8].upper()
    admin.fill(
        {
            "number": number, "supplierId": supplier, "title": "Computers and peripherals",
            "categories": "43210000", "effectiveOn": "2026-01-01", "expiresOn": "2028-12-31", "status": "active",
            "ceilingCents": "5,000,000", "adminFeeBasisPoints": "200",
        }
    )
    admin.submit("agreement-published")
    admin.accepted("the new agreement")
    admin.title_is(f"Agreement {number}")
    step(f"the admin published the agreement {number}")
    return admin.last_id(), number


def record_participation(admin, agency):
    admin.nav("Agencies", "agencies-again")
    admin.driver.find_element(By.CSS_SELECTOR, f"main a[href='/console/agencies/{agency}']").click()
    admin.snap("agency")
    admin.follow("Record an instrument", "participation-form")
    admin.fill(
        {
            "kind": "master-intergovernmental-agreement", "effectiveOn": "2026-01-01", "resolutionNumber": "R-2026-01",
            "resolutionDate": "2026-01-05",
        }
    )
    admin.submit("participation-recorded")
    admin.accepted("the participation instrument")
    admin.check(admin.path() == f"/console/agencies/{agency}", "back on the agency's page")
    admin.shows("master-intergovernmental-agreement", "the instrument is listed")
    step("the admin recorded the agency's participation instrument")


def write_policy(admin, agency):
    """The agency's policy, on the policy page (cooperative staff name the agency)."""
    # The agency's page lists policy versions but has no link to the policy page: the admin types its address.
    admin.open(f"/console/policy?tenantId={agency}", "policy")
    admin.title_is("Policy")
    admin.follow("Write a new version", "policy-form")
    admin.title_is("New policy version")
    admin.fill({"rules": COUNCIL_THRESHOLD})
    admin.submit("policy-saved")
    admin.accepted("the policy")
    admin.title_is("Policy")
    admin.shows("Version 1 is in force", "the new version is in force")
    admin.shows("approval-threshold", "the rule is listed")
    step("the admin wrote the agency's policy: a council threshold at $30,000")


def issue_token(admin, agency, role, name):
    """Issues a token on the agency's page; its secret is read from the page that shows it once."""
    admin.open(f"/console/agencies/{agency}", f"agency-{role}")
    admin.follow("Issue a token", f"token-form-{role}")
    admin.fill({"name": name, "role": role})
    admin.submit(f"token-issued-{role}")
    admin.accepted(f"the {role} token")
    admin.title_is("Token issued")
    secret = admin.driver.find_element(By.ID, "secret").get_attribute("value")
    admin.check(bool(secret), f"the {role} token's secret is shown")
    admin.follow(f"Done: back to City of Story {HOSTILE}", f"tokens-{role}")
    admin.check(name in admin.text(), f"the token {name} is listed on the agency's page")
    admin.check(secret not in admin.driver.page_source, "the secret is not shown again")
    step(f"the admin issued the {role} token")
    return secret


def admin_part(admin):
    admin.sign_in(ADMIN, small=True)
    agency, slug = create_agency(admin)
    csrf_is_required(admin, slug)
    supplier = create_supplier(admin)
    solicitation = create_solicitation(admin, lead=agency)
    agreement, number = publish_agreement(admin, supplier, solicitation, lead=agency)
    record_participation(admin, agency)
    write_policy(admin, agency)
    buyer = issue_token(admin, agency, "agency-buyer", "Buyer")
    approver = issue_token(admin, agency, "agency-approver", "Approver")
    return agency, agreement, number, buyer, approver


# 2. The buyer


def stays_in_own_agency(buyer, agency, other):
    buyer.open(f"/console/agencies/{agency}", "own-agency")
    buyer.check(HOSTILE in buyer.text(), "the buyer sees its agency's name as text")
    buyer.open(f"/console/agencies/{other}", "other-agency")
    buyer.title_is("Not found")
    buyer.open(f"/console/authorizations?tenantId={other}", "other-agency-authorizations")
    buyer.title_is("Not found")
    buyer.open("/console/agencies", "admin-page")
    buyer.title_is("Not for your role")
    buyer.open("/console/agreements/new", "admin-form")
    buyer.title_is("Not for your role")
    step("the buyer cannot reach another agency's pages or the admin's")


def check_purchase(buyer, number):
    """Finds the agreement by its number and checks a purchase above the policy's threshold."""
    buyer.open("/console", "home")
    buyer.nav("Agreements", "agreements")
    buyer.fill({"q": number})
    buyer.tick("usable")
    buyer.submit("agreements-found")
    buyer.accepted("the agreement search")
    buyer.follow(number, "agreement")
    buyer.title_is(f"Agreement {number}")
    buyer.fill({"amountCents": PURCHASE["amount"], "category": PURCHASE["category"], "purpose": PURCHASE["purpose"]})
    buyer.submit("purchase-checked")
    buyer.accepted("the purchase check")
    buyer.title_is(f"Authorization: {PURCHASE['purpose']}")
    outcome = buyer.driver.find_element(By.CSS_SELECTOR, "main .notice strong").text
    buyer.check(outcome.startswith("Pending"), f"the purchase comes back pending, not '{outcome}'")
    buyer.shows("Needs approval", "the threshold rule waits for an approval")
    buyer.shows("Story City Code of Ordinances 2-26", "the rule's citation is shown")
    buyer.snap_small("decision")
    step(f"the buyer checked a purchase of ${PURCHASE['amount']}: {outcome}")
    return buyer.last_id()


# 3. The approver


def approve(approver, authorization):
    approver.nav("Approvals", "approvals")
    approver.driver.find_element(By.CSS_SELECTOR, f"main a[href='/console/approvals/{authorization}']").click()
    approver.snap("approval-form")
    approver.title_starts("Record an approval")
    approver.fill({"resolutionNumber": "R-2026-114", "resolutionDate": TODAY, "note": "Council meeting of today"})
    approver.submit("approved")
    approver.accepted("the approval")
    approver.check(approver.path() == f"/console/authorizations/{authorization}", "back on the decision page")
    outcome = approver.driver.find_element(By.CSS_SELECTOR, "main .notice strong").text
    approver.check(outcome == "Approved", f"the purchase is approved after the approval, not '{outcome}'")
    approver.shows("R-2026-114", "the resolution is in the history")
    approver.shows("After an approval", "the second decision is in the history")
    approver.nav("Approvals", "approvals-empty")
    approver.check(
        not approver.driver.find_elements(By.CSS_SELECTOR, f"main a[href='/console/approvals/{authorization}']"),
        "the approved purchase left the queue",
    )
    step("the approver recorded the council's resolution: approved")


# 4 and 6. Cooperative finance


def buying_power(finance, agreement, agency, label):
    """The cooperative-wide buying power report of the story's agreement, by agreement, chosen in the filter form.

    Before any order it has no row: this path (the agreement rollups, with nothing to show) once took the server
    down, which this story found.
    """
    finance.open("/console", f"home-{label}")
    finance.nav("Reports", f"reports-{label}")
    finance.title_is("Buying power")
    finance.fill({"agreementId": agreement})
    finance.tick("groupBy-agreement")
    finance.submit(f"buying-power-{label}")
    finance.accepted("the report's filters")
    finance.title_is("Buying power")


def figures(finance, number):
    """The agreement's spend in the table and in the chart (None when it has no row or bar)."""
    table = None
    for row in finance.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        if number in cells:
            table = next((cell for cell in cells if cell.startswith("$")), None)
    chart = None
    svgs = finance.driver.find_elements(By.CSS_SELECTOR, "main svg.chart")
    finance.check(len(svgs) == 1, "the report has its chart")
    for bar in svgs[0].find_elements(By.CSS_SELECTOR, "g"):
        texts = [text.text or text.get_attribute("textContent") for text in bar.find_elements(By.TAG_NAME, "text")]
        if texts and texts[0] == number:
            chart = texts[-1]
    description = svgs[0].find_element(By.TAG_NAME, "desc").get_attribute("textContent")
    return table, chart, description


def finance_before(finance, agreement, agency, number):
    buying_power(finance, agreement, agency, "before")
    table, chart, description = figures(finance, number)
    finance.check(table is None and chart is None, f"no spend yet under {number} (table {table}, chart {chart})")
    finance.check("No purchases" in description, f"the chart says there is nothing yet: '{description}'")
    step(f"finance: buying power under {number} before any order: none")


def finance_after(finance, agreement, agency, number, cents):
    buying_power(finance, agreement, agency, "after")
    table, chart, description = figures(finance, number)
    expected = dollars(cents)
    finance.check(table == expected, f"the table shows {expected} under {number}, not {table}")
    finance.check(chart == expected, f"the chart's bar for {number} says {expected}, not {chart}")
    finance.check(f"{number}: {expected}" in description, f"the chart's description says it: '{description}'")
    finance.snap_small("buying-power")
    step(f"finance: buying power moved to {expected} in the table and the chart")

    link = finance.driver.find_element(By.LINK_TEXT, "Download CSV")
    href = link.get_attribute("href")
    finance.check(href.startswith(BASE + "/console/reports/buying-power.csv?"), f"the CSV link: {href}")
    # What the browser would save: the same request with the session's cookie.
    request = urllib.request.Request(href, headers={"Cookie": f"cooperage_session={finance.cookie()['value']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        finance.check(response.headers.get("Content-Type", "").startswith("text/csv"), "the download is CSV")
        rows = list(csv.DictReader(io.StringIO(response.read().decode())))
    totals = [row["total_cents"] for row in rows if row.get("agreement_number") == number]
    finance.check(totals == [str(cents)], f"the CSV has {cents} cents under {number}, not {totals}")
    step(f"finance: the downloaded CSV says {cents} cents under {number}")


# 5. The buyer's purchase orders


def first_field(person, names):
    for name in names:
        found = person.driver.find_elements(By.CSS_SELECTOR, f"main [name='{name}']")
        if found:
            return found[0]
    raise Failed(f"{person.name}: no field named any of {names} (page '{person.driver.title}')")


def register_order(buyer, authorization):
    """One purchase order on its own page, reached from the approved decision. Returns the cents registered."""
    buyer.open(f"/console/authorizations/{authorization}", "decision-for-order")
    buyer.follow("Register a purchase order", "usage-form")
    buyer.title_is("Register a purchase order")
    po = "PO-FORM-" + uuid.uuid4().hex[:6].upper()
    values = [
        (["poNumber"], po),
        (["orderDate"], TODAY),
        (["lineDescription"], "Docking station"),
        (["lineUnspsc"], "43211503"),
        (["lineQuantity"], "2"),
        (["lineUnitPrice"], "250.00"),
    ]
    for names, value in values:
        field = first_field(buyer, names)
        if field.get_attribute("type") == "date":
            buyer.driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)
    buyer.submit("usage-registered")
    buyer.accepted("the purchase order")
    buyer.title_is(f"Purchase order {po}")
    step(f"the buyer registered the purchase order {po} on its page")
    return 50_000


def upload_orders(buyer, authorization, cents):
    """The rest of the authorized amount as a CSV file of purchase orders."""
    buyer.open(f"/console/authorizations/{authorization}", "decision-approved")
    buyer.follow("Upload purchase orders", "upload-form")
    buyer.title_is("Upload purchase orders")
    po = "PO-CSV-" + uuid.uuid4().hex[:6].upper()
    header = "po_number,authorization_id,order_date,description,unspsc,quantity,unit_price_cents,list_price_cents"
    line = f"{po},{authorization},{TODAY},Laptop,43211503,1,{cents},"
    with tempfile.NamedTemporaryFile("w", suffix=".csv", prefix="story-orders-", delete=False) as file:
        file.write(header + "\r\n" + line + "\r\n")
    try:
        buyer.driver.find_element(By.ID, "file").send_keys(file.name)
        buyer.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        # The upload script sends the form itself and then opens the page the server answered with.
        buyer.wait_for_title("Import of")
    finally:
        os.unlink(file.name)
    buyer.snap("csv-imported")
    buyer.accepted("the CSV upload")
    buyer.shows("Imported: every order of this file was registered", "the import is confirmed")
    buyer.shows(dollars(cents), "the import's total")
    buyer.follow("All purchase orders", "purchase-orders")
    buyer.title_is("Purchase orders")
    buyer.shows(po, "the uploaded order is listed")
    step(f"the buyer uploaded a CSV file: {po} for {dollars(cents)}")


def signs_out_for_good(buyer):
    """Signing out ends the session on the server: the old cookie opens nothing."""
    cookie = buyer.cookie()
    buyer.check(cookie.get("httpOnly"), "the session cookie is HttpOnly")
    buyer.sign_out()
    buyer.driver.add_cookie({"name": "cooperage_session", "value": cookie["value"], "path": "/"})
    buyer.open("/console", "old-cookie")
    buyer.title_is("Sign in")
    step("the buyer signed out; the old cookie opens nothing")


def fits_a_phone(person, paths):
    """At 360 pixels wide, a page scrolls down, never sideways (wide tables scroll inside their own box)."""
    person.driver.set_window_size(360, 740)
    try:
        for path in paths:
            person.open(path, "phone")
            width = person.driver.execute_script("return document.documentElement.scrollWidth")
            person.check(width <= 362, f"{path} is {width} pixels wide on a 360-pixel phone")
    finally:
        person.driver.set_window_size(1280, 1000)
    step(f"{person.name}: {len(paths)} pages fit a 360-pixel-wide phone")


def story():
    people = []

    def person(name):
        people.append(Person(name))
        return people[-1]

    try:
        admin = person("admin")
        agency, agreement, number, buyer_token, approver_token = admin_part(admin)

        # Another agency, and cooperative finance: made as an integration would.
        other = api("POST", "/v1/tenants", body={
            "legalName": "Other Town", "slug": "other-" + uuid.uuid4().hex[:8], "entityType": "city", "state": "TX",
        })["id"]
        finance_token = api("POST", "/v1/tokens", body={"role": "cooperative-finance", "name": "Finance"})["token"]

        buyer = person("buyer")
        buyer.sign_in(buyer_token)
        stays_in_own_agency(buyer, agency, other)
        authorization = check_purchase(buyer, number)

        approver = person("approver")
        approver.sign_in(approver_token)
        approve(approver, authorization)

        finance = person("finance")
        finance.sign_in(finance_token)
        finance_before(finance, agreement, agency, number)

        registered = register_order(buyer, authorization)
        upload_orders(buyer, authorization, PURCHASE["cents"] - registered)

        finance_after(finance, agreement, agency, number, PURCHASE["cents"])
        fits_a_phone(finance, ["/console", "/console/reports/buying-power?groupBy=agreement&period=quarter", "/console/audit"])
        fits_a_phone(buyer, ["/console/agreements", f"/console/authorizations/{authorization}", "/console/usage/new"])

        signs_out_for_good(buyer)
        for signed_in in (admin, approver, finance):
            signed_in.sign_out()
    finally:
        for each in people:
            each.quit()


if __name__ == "__main__":
    try:
        story()
    except Failed as failure:
        print(f"browser: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"browser: the story passed ({Person.shot} screenshots)")
