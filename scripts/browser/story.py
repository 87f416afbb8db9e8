"""The console's story in a real headless Chromium (issue 21), step by step.

    story.py BASE_URL ADMIN_TOKEN SCREENSHOT_DIR

Each step uses the pages as a person would: links, forms, buttons. Data no page under test needs is made through
the JSON API, as an integration would. Every page visited is saved as a screenshot, named by step.
A failed check raises with the page's title and URL; the exit status is then 1.
"""
import json
import sys
import urllib.error
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE, ADMIN, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]


class Failed(Exception):
    pass


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


class Person:
    """One browser: one person's session."""

    shot = 0

    def __init__(self, name):
        self.name = name
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)

    def snap(self, label):
        Person.shot += 1
        self.driver.save_screenshot(f"{SHOTS}/{Person.shot:02d}-{self.name}-{label}.png")

    def open(self, path, label):
        self.driver.get(BASE + path)
        self.snap(label)
        return self

    def check(self, condition, what):
        if not condition:
            raise Failed(f"{self.name}: {what} (page '{self.driver.title}' at {self.driver.current_url})")

    def title_is(self, title):
        self.check(self.driver.title == f"{title} · Cooperage", f"expected the page '{title}'")

    def fill(self, fields):
        for name, value in fields.items():
            element = self.driver.find_element(By.NAME, name)
            if element.tag_name == "select":
                element.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, label, button="button[type=submit]", form="main form"):
        self.driver.find_element(By.CSS_SELECTOR, f"{form} {button}").click()
        self.snap(label)

    def sign_in(self, token):
        self.open("/console/sign-in", "sign-in")
        self.title_is("Sign in")
        self.fill({"token": token})
        self.submit("signed-in")
        self.title_is("Overview")

    def sign_out(self):
        self.driver.find_element(By.CSS_SELECTOR, "header form button").click()
        self.snap("signed-out")
        self.title_is("Sign in")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def quit(self):
        self.driver.quit()


def story():
    hostile = "<script>alert(1)</script>"
    admin = Person("admin")
    admin.sign_in(ADMIN)

    # The admin creates the buyer's agency through the pages; its name is what a hostile admin might type.
    slug = "story-" + uuid.uuid4().hex[:8]
    admin.open("/console/agencies/new", "agency-form")
    admin.fill({"legalName": f"City of Story {hostile}", "slug": slug, "entityType": "city", "state": "TX"})
    admin.submit("agency-created")
    admin.check(hostile in admin.text(), "the agency's name must show as text")
    try:
        admin.driver.switch_to.alert
        raise Failed("a script in an agency's name ran")
    except NoAlertPresentException:
        pass
    agency = admin.driver.current_url.rstrip("/").split("/")[-1]

    # A form posted without its CSRF token is refused.
    admin.open("/console/agencies/new", "agency-form-again")
    admin.fill({"legalName": "No Token", "slug": "no-" + slug, "entityType": "city", "state": "TX"})
    admin.driver.execute_script("document.querySelector('main form input[name=_csrf]').remove()")
    admin.submit("csrf-refused")
    admin.title_is("Form expired")

    # Another agency, and the people of the first.
    other = api("POST", "/v1/tenants", body={"legalName": "Other Town", "slug": "other-" + slug, "entityType": "city", "state": "TX"})
    buyer_token = api("POST", f"/v1/tenants/{agency}/tokens", body={"role": "agency-buyer", "name": "Buyer"})["token"]

    buyer = Person("buyer")
    buyer.sign_in(buyer_token)
    buyer.open(f"/console/agencies/{agency}", "own-agency")
    buyer.check(hostile in buyer.text(), "the buyer sees its agency's name as text")
    buyer.open(f"/console/agencies/{other['id']}", "other-agency")
    buyer.title_is("Not found")
    buyer.open("/console/agencies", "admin-page")
    buyer.title_is("Not for your role")

    # Signing out ends the session on the server: the old cookie opens nothing.
    cookie = buyer.driver.get_cookie("cooperage_session")
    buyer.check(cookie is not None and cookie.get("httpOnly"), "the session cookie is HttpOnly")
    buyer.sign_out()
    buyer.driver.add_cookie({"name": "cooperage_session", "value": cookie["value"], "path": "/"})
    buyer.open("/console", "old-cookie")
    buyer.title_is("Sign in")

    admin.sign_out()
    for person in (admin, buyer):
        person.quit()


if __name__ == "__main__":
    try:
        story()
    except Failed as failure:
        print(f"browser: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"browser: the story passed ({Person.shot} screenshots)")
