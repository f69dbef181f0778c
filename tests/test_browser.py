"""report.html in headless Chromium: the seed conflicts are visible, hostile article markup runs nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from dedupe import read_articles
from dedupe.graph import cluster_id
from dedupe.merge import merge_stories
from dedupe.pipeline import Result
from dedupe.report import render_html
from dedupe.types import Article, Cluster

pytestmark = pytest.mark.browser

CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE = Article(
    id="zz-hostile",
    title=f"Hall fire {SCRIPT} {IMG}",
    text=f'The town hall burned on 2 March 2021. {SCRIPT} {IMG} The mayor said: "We will rebuild the hall."',
    source=f"Evil {IMG}",
    published="2021-03-03",
    url="javascript:window.__pwned=3",
)


def chromium() -> str | None:
    """The Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    """A headless Chromium driven by chromedriver, with a throw-away profile; skips when either is absent."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    binary = chromium()
    if binary is None or not CHROMEDRIVER.is_file():
        pytest.skip(f"headless browser test needs chromium and {CHROMEDRIVER} (apt-get install chromium "
                    "chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dedupe-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                 "--window-size=1280,2000"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def report(tmp_path: Path) -> Path:
    """report.html for the seeds (002 and 003 as one story) and the hostile article, as its own story."""
    articles = sorted([*read_articles([SEEDS]), HOSTILE], key=lambda a: a.id)
    story = tuple(a.id for a in articles if a.id[:3] in ("002", "003"))
    groups = [story] + [(a.id,) for a in articles if a.id not in story]
    clusters = tuple(Cluster(cluster_id(g), g, g[0]) for g in groups)
    stories, _ = merge_stories(Result(tuple(articles), clusters, (), {}, {}))
    path = tmp_path / "report.html"
    path.write_text(render_html([s.as_dict() for s in stories]), encoding="utf-8")
    return path


def test_report_in_a_browser(driver, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(report(tmp_path).as_uri())
    body = driver.find_element(By.TAG_NAME, "body").text
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert SCRIPT in body and IMG in body  # shown as text
    assert "Date conflict" in body and "date (suspended)" in body
    assert "2018-10" in body and "2018-11" in body
    assert "will not be tolerated" in body and "Quote discrepancy" in body
    marks = [m.text for m in driver.find_elements(By.TAG_NAME, "mark")]
    assert "not" in marks and "October 2018" in marks
    assert driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "report.png"))
    assert (ARTIFACTS / "report.png").stat().st_size > 0
