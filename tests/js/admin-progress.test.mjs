// The admin's status: its live region, what it says when, and where the focus goes.
import { choose, directInput } from "./dom.mjs";

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import "./static.mjs";

await import("../../s3file_admin/static/s3file_admin/js/progress.js");

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function adminForm() {
  const input = directInput({ name: "document" });
  input.dataset.s3fAdmin = JSON.stringify({
    uploading: "Uploading {current} of {count}",
    uploadingPercent: "Uploading {current} of {count}, {percent} done",
    cancelled: "Upload cancelled.", failed: "Upload failed.", saving: "Saving…",
    cancel: "Cancel upload", ofTotal: "{loaded} of {total}",
  });
  const form = input.form;
  const row = Object.assign(document.createElement("div"), { className: "submit-row" });
  const save = Object.assign(document.createElement("button"), { type: "submit" });
  row.append(save);
  form.append(row);
  const file = new File(["x".repeat(100)], "a.txt");
  choose(input, [file]);
  input.dispatchEvent(new CustomEvent("s3file:select", {
    bubbles: true, detail: { files: [file], valid: true },
  }));
  const region = form.querySelector(".s3file-status [role=status]");
  const spoken = [];
  new MutationObserver(() => spoken.push(region.textContent)).observe(region, {
    childList: true, characterData: true, subtree: true,
  });
  const start = () => form.dispatchEvent(new CustomEvent("s3file:start", {
    bubbles: true, detail: { files: [file], uploads: [], total: 100, submitter: save },
  }));
  const progress = (loaded) => input.dispatchEvent(new CustomEvent("s3file:progress", {
    bubbles: true,
    detail: { file, fileLoaded: loaded, fileTotal: 100, loaded, total: 100, fraction: loaded / 100 },
  }));
  return { input, form, save, file, region, spoken, start, progress };
}

describe("admin status", () => {
  test("the live region is in the page, empty, before an upload starts", () => {
    const { form, region } = adminForm();
    assert.equal(region.textContent, "");
    assert.equal(form.querySelector(".s3file-status").hidden, false);
    assert.equal(form.querySelector(".s3file-status").dataset.state, undefined);
  });

  test("start and cancel are said once each, progress not right after the start", async () => {
    const { form, spoken, start, progress } = adminForm();
    start();
    await tick();
    progress(40);
    progress(60);
    await tick();
    form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    await tick();
    form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    await tick();
    assert.deepEqual(spoken, ["Uploading 1 of 1", "Upload cancelled."]);
  });

  test("the focus goes from the disabled Save to Cancel, and from Cancel to the field", () => {
    const { input, form, save, start } = adminForm();
    save.focus();
    start();
    const cancel = form.querySelector(".s3file-cancel");
    assert.equal(save.disabled, true);
    assert.equal(document.activeElement, cancel);
    form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    assert.equal(document.activeElement, input);
    assert.equal(save.disabled, false);
  });

  test("a focus elsewhere stays where the user put it", () => {
    const { form, start } = adminForm();
    const other = document.createElement("input");
    form.prepend(other);
    other.focus();
    start();
    form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    assert.equal(document.activeElement, other);
  });
});
