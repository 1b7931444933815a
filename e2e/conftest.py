"""Browser tests of sales_attribution: a real Odoo (two workers) and headless Chromium.

``bin/test`` (phase ``browser``) starts Odoo on a throwaway copy of the demo office and
sets ``SA_E2E_URL`` and ``SA_E2E_DB``. To run them against a server of your own::

    SA_E2E_URL=http://127.0.0.1:8150 SA_E2E_DB=mydb .venv-e2e/bin/python -m pytest e2e

Every test runs twice: with the demo users' language set to ``zh_CN`` and to ``en_US``
(written through XML-RPC before the run). Each step leaves a screenshot in
``artifacts/screenshots/<lang>/``; a SEVERE entry in the browser console fails the test.
"""
import os
import re
import tempfile
import shutil
import time
import xmlrpc.client
from xml.etree import ElementTree

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    JavascriptException, StaleElementReferenceException, WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ.get("SA_E2E_URL", "http://127.0.0.1:8069").rstrip("/")
DB = os.environ.get("SA_E2E_DB", "sales_attribution")
ADMIN = (os.environ.get("SA_E2E_ADMIN", "admin"),
         os.environ.get("SA_E2E_ADMIN_PASSWORD", "admin"))
ARTIFACTS = os.environ.get(
    "SA_E2E_ARTIFACTS",
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "artifacts"))
CHROMIUM = os.environ.get("SA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SA_CHROMEDRIVER", "/usr/bin/chromedriver")
LANGS = ("zh_CN", "en_US")
TIMEOUT = 20

# The demo office (demo/sales_attribution_demo.xml): password = login.
CONSULTANT = "zhangwei"
CONSULTANT_2 = "liuna"
MANAGER = "wangqiang"

# Console messages that are not the addon's. Add a pattern here only with a reason.
CONSOLE_NOISE = (
    # Odoo with workers serves the bus on its own longpolling port; without a proxy in
    # front, the web client's /longpolling/poll on the HTTP port answers this error
    re.compile(r"bus\.Bus unavailable"),
    # report pages (/report/html/...) link no icon; Chromium asks for /favicon.ico
    re.compile(r"/favicon\.ico - Failed to load resource"),
)


# --------------------------------------------------------------------------- XML-RPC
class Odoo:
    """A small XML-RPC client for one user."""

    def __init__(self, login, password):
        self.login, self.password = login, password
        common = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/common")
        self.uid = common.authenticate(DB, login, password, {})
        if not self.uid:
            raise RuntimeError("cannot log in as %s on %s/%s" % (login, URL, DB))
        self.models = xmlrpc.client.ServerProxy(
            URL + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kw):
        return self.models.execute_kw(DB, self.uid, self.password, model, method,
                                      list(args), kw)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read",
                    [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        return rows[0]["res_id"] if rows else None

    def has_model(self, model):
        return bool(self("ir.model", "search_count", [("model", "=", model)]))

    def has_field(self, model, field):
        return bool(self("ir.model.fields", "search_count",
                         [("model", "=", model), ("name", "=", field)]))


@pytest.fixture(scope="session")
def admin():
    return Odoo(*ADMIN)


def _user(admin, login, lang):
    """The demo user ``login`` with its language set to ``lang``; id."""
    ids = admin("res.users", "search", [("login", "=", login)])
    if not ids:
        pytest.fail("demo user %s is missing: the browser tests run on the demo office"
                    % login)
    admin("res.users", "write", ids, {"lang": lang})
    return ids[0]


@pytest.fixture(scope="session", params=LANGS)
def lang(request, admin):
    """Runs the whole suite once per language: the demo users read it in ``lang``."""
    installed = admin("res.lang", "search", [("code", "=", request.param)])
    if not installed:
        pytest.fail("language %s is not installed (install with --load-language)"
                    % request.param)
    for login in (CONSULTANT, CONSULTANT_2, MANAGER):
        _user(admin, login, request.param)
    return request.param


@pytest.fixture
def users(admin, lang):
    """Ids of the demo users, their language already set."""
    return {login: _user(admin, login, lang)
            for login in (CONSULTANT, CONSULTANT_2, MANAGER)}


# --------------------------------------------------------------------------- browser
def _xpath_literal(text):
    if "'" not in text:
        return "'%s'" % text
    return "concat('%s')" % "', \"'\", '".join(text.split("'"))


class Page:
    """The web client in one Chromium, with the few moves the tests need."""

    def __init__(self, driver, lang, test_name):
        self.driver = driver
        self.lang = lang
        self.test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        self.step = 0
        self.shot_dir = os.path.join(ARTIFACTS, "screenshots", lang)
        os.makedirs(self.shot_dir, exist_ok=True)
        self.console = []

    # waiting ---------------------------------------------------------------
    def wait(self, condition, timeout=TIMEOUT, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2,
                             ignored_exceptions=(StaleElementReferenceException,)
                             ).until(condition, message)

    def idle(self):
        """No request running and no loading indicator."""
        def _idle(d):
            try:
                return d.execute_script(
                    "return document.readyState === 'complete' && "
                    "(!window.jQuery || window.jQuery.active === 0) && "
                    "!document.querySelector('.o_loading:not([style*=\"none\"])') && "
                    "!document.querySelector('.blockUI');")
            except JavascriptException:
                return False
        self.wait(_idle, message="the web client stays busy")
        time.sleep(0.3)  # let the widgets render after the last answer

    def find(self, css, visible=True, timeout=TIMEOUT):
        def _find(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if not visible or el.is_displayed():
                    return el
            return False
        return self.wait(_find, timeout, "no element %s" % css)

    def all(self, css):
        return [e for e in self.driver.find_elements(By.CSS_SELECTOR, css)
                if e.is_displayed()]

    def absent(self, css, timeout=TIMEOUT):
        self.wait(lambda d: not [e for e in d.find_elements(By.CSS_SELECTOR, css)
                                 if e.is_displayed()], timeout, "%s stays" % css)

    def text(self, css):
        return self.find(css).text.strip()

    # acting ----------------------------------------------------------------
    def click(self, css):
        el = self.find(css)
        self.wait(lambda d: el.is_enabled(), message="%s stays disabled" % css)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", el)
        el.click()
        self.idle()
        return el

    def get(self, path):
        self.driver.get(URL + path)
        self.idle()

    def login(self, login, password=None):
        self.get("/web/login?db=%s" % DB)
        self.find("input[name=login]").send_keys(login)
        self.find("input[name=password]").send_keys(password or login)
        self.shot("login")
        self.find("form.oe_login_form button[type=submit]").click()
        self.find(".o_main_navbar, .o_web_client")
        self.idle()

    def open_action(self, xmlid, res_id=None, view_type=None, menu_id=None):
        """Open the window action ``xmlid`` (fresh page load), optionally a record."""
        frag = "action=%s" % xmlid
        if res_id:
            frag += "&id=%d&view_type=form" % res_id
        elif view_type:
            frag += "&view_type=%s" % view_type
        if menu_id:
            frag += "&menu_id=%d" % menu_id
        self.driver.get("%s/web?_=%d#%s" % (URL, time.time() * 1000, frag))
        # a window action in the main area, or a wizard (target new) in a dialog
        self.find(".o_control_panel, .modal-dialog .o_form_view")
        self.idle()
        self.no_error_dialog()

    def field(self, name):
        """The widget of field ``name`` in the current form (input, select or span)."""
        return self.find(".o_form_view .o_field_widget[name=%s]" % name)

    def fill(self, name, value):
        el = self.field(name)
        if el.tag_name not in ("input", "textarea"):
            el = el.find_element(By.CSS_SELECTOR, "input, textarea")
        el.clear()
        el.send_keys(value)
        # leave the field: Odoo 11 runs the onchange on change
        el.send_keys(Keys.TAB)
        self.idle()

    def select(self, name, value):
        self.driver.execute_script(
            "var s = arguments[0]; s.value = arguments[1];"
            "s.dispatchEvent(new Event('change', {bubbles: true}));",
            self.find(".o_form_view select.o_field_widget[name=%s]" % name),
            '"%s"' % value)
        self.idle()

    def check(self, name, on=True):
        box = self.find(
            ".o_form_view .o_field_boolean[name=%s] input" % name, visible=False)
        if box.is_selected() != on:
            self.driver.execute_script("arguments[0].click();", box)
        self.idle()

    def many2one(self, name, text):
        """Type ``text`` into many2one ``name`` and pick the first match."""
        el = self.find(".o_form_view .o_field_many2one[name=%s] input" % name)
        el.clear()
        el.send_keys(text)
        item = self.find("ul.ui-autocomplete li.ui-menu-item a")
        item.click()
        self.idle()

    def button(self, model, name, view=None):
        """Click the form's object button ``name`` (method). Odoo 11 renders buttons
        without their name: the button is found by its label in the user's language,
        read from the form view as the server sends it."""
        view_id = self.admin.ref(view) if view else False
        arch = self.admin(model, "fields_view_get", view_id=view_id, view_type="form",
                          context={"lang": self.lang})["arch"]
        node = ElementTree.fromstring(arch.encode("utf-8")).find(
            ".//button[@name='%s']" % name)
        assert node is not None, "no button %s on the form of %s" % (name, model)
        label = node.get("string")
        xpath = ("//div[contains(@class, 'o_form_view')]//button[normalize-space(.)=%s]"
                 % _xpath_literal(label))
        el = self.wait(lambda d: next((b for b in d.find_elements(By.XPATH, xpath)
                                       if b.is_displayed()), False),
                       message="no visible button %r (%s)" % (label, name))
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", el)
        el.click()
        self.idle()
        return el

    def save(self):
        self.click(".o_form_button_save")
        self.find(".o_form_view.o_form_readonly")
        self.no_error_dialog()

    # checking --------------------------------------------------------------
    def no_error_dialog(self):
        dialogs = self.all(".modal .o_dialog_warning, .modal .o_dialog_error")
        if dialogs:
            self.shot("error")
            pytest.fail("the web client shows an error: %s" % dialogs[0].text[:1000])

    def read_console(self):
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            return []
        self.console.extend(entries)
        return entries

    def forget_console(self):
        """Drop the console entries so far (a test that provokes an error on
        purpose)."""
        self.read_console()
        self.console = []

    def severe(self):
        self.read_console()
        return [e for e in self.console if e.get("level") == "SEVERE"
                and not any(p.search(e.get("message", "")) for p in CONSOLE_NOISE)]

    def shot(self, label):
        self.step += 1
        path = os.path.join(self.shot_dir, "%s-%02d-%s.png" % (
            self.test_name, self.step, re.sub(r"[^A-Za-z0-9_-]+", "_", label)))
        self.driver.save_screenshot(path)
        return path


def _chromium(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(arg)
    options.add_argument("--user-data-dir=%s" % os.path.join(downloads, "profile"))
    options.add_experimental_option("prefs", {
        "download.default_directory": os.path.join(downloads, "downloads"),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the office's clock: the web client shows times in the browser's time zone
    service = Service(CHROMEDRIVER, env=dict(os.environ, TZ=os.environ.get(
        "SA_E2E_TZ", "Asia/Shanghai")))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    # headless Chromium refuses downloads unless told where to put them
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": os.path.join(downloads, "downloads")})
    return driver


@pytest.fixture
def page(request, lang):
    """A fresh Chromium (own profile) for one test; fails the test on console errors."""
    tmp = tempfile.mkdtemp(prefix="sa-e2e-")
    os.makedirs(os.path.join(tmp, "downloads"))
    driver = _chromium(tmp)
    p = Page(driver, lang, request.node.name)
    p.admin = request.getfixturevalue("admin")
    p.downloads = os.path.join(tmp, "downloads")
    try:
        yield p
        errors = p.severe()
        if errors:
            p.shot("console-error")
            pytest.fail("browser console errors:\n" + "\n".join(
                e.get("message", "")[:500] for e in errors))
    finally:
        if getattr(request.node, "rep_call_failed", False):
            try:
                p.shot("failed")
            except WebDriverException:
                pass
        driver.quit()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.rep_call_failed = True
