"""A snippet chooser's "create" tab with a file field, in Chromium against SeaweedFS: the file
goes to S3, the chooser's create view (another view than the chooser that rendered the input)
takes its key, and the new snippet is chosen (issue 20, item 2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.wagtail.conftest import write
from tests.wagtailapp.models import BrochurePage, Leaflet

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def test_a_snippet_choosers_create_tab_uploads_and_chooses_the_new_snippet(
    admin_page, wagtail_site, s3, tmp_path
):
    brochure = wagtail_site.add_child(instance=BrochurePage(title="Brochure", slug="brochure"))
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 64

    admin_page.goto(f"{admin_page.admin_url}pages/{brochure.pk}/edit/")
    field = admin_page.locator("[data-field-input]:has(input[name=leaflet])")
    field.get_by_role("button", name="Choose leaflet").click()
    modal = admin_page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Create").click()
    # The page's own title is #id_title too: the modal's label points at the page's input.
    modal.locator("input[name=title]").fill("Spring leaflet")
    modal.locator("input[type=file]").set_input_files(write(tmp_path / "spring.pdf", pdf))
    modal.get_by_role("button", name="Create").click()

    expect(field).to_contain_text("Spring leaflet")
    expect(modal).to_have_count(0)
    leaflet = Leaflet.objects.get()
    assert leaflet.file.name == "leaflets/spring.pdf"
    assert s3.read("leaflets/spring.pdf") == pdf
    assert s3.keys(prefix="tmp/") == []
