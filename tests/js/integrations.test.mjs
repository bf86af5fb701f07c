// The admin's and Wagtail's scripts follow the core's events, not the order of its listeners.
import { choose, directInput } from "./dom.mjs";

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import "./static.mjs";

await import("../../s3file/static/s3file/js/s3file.js");
await import("../../s3file_admin/static/s3file_admin/js/errors.js");
await import("../../wagtail_s3file/static/wagtail_s3file/js/admin.js");

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function adminInput() {
  const input = directInput({ name: "photo", maxSize: 5 });
  input.dataset.s3fAdmin = JSON.stringify({ retry: "Retry" });
  const row = Object.assign(document.createElement("div"), { className: "form-row" });
  const box = Object.assign(document.createElement("div"), { className: "flex-container" });
  input.form.append(row);
  row.append(box);
  box.append(input);
  return { input, row };
}

describe("admin errors", () => {
  test("a refused file's error sits before the field and describes the input", () => {
    const { input, row } = adminInput();
    choose(input, [new File(["too long"], "big.png")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    // Announced by a wrapper, so the list stays a list (no role of its own).
    const alert = row.querySelector(".s3file-errors[role=alert]");
    const list = alert.querySelector("ul.errorlist");
    assert.equal(list.hasAttribute("role"), false);
    assert.equal(list.textContent, "“big.png” is too large.");
    assert.equal(alert.nextElementSibling, input.closest(".flex-container"));
    assert.ok(row.classList.contains("errors"));
    assert.equal(input.getAttribute("aria-describedby"), alert.id);
    assert.equal(input.getAttribute("aria-invalid"), "true");
  });

  test("choosing an accepted file next clears it (s3file:select)", () => {
    const { input, row } = adminInput();
    choose(input, [new File(["too long"], "big.png")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    choose(input, [new File(["ok"], "ok.png")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    assert.equal(row.querySelector("ul.errorlist"), null);
    assert.ok(!row.classList.contains("errors"));
    assert.equal(input.hasAttribute("aria-describedby"), false);
  });

  test("choosing another refused file shows the new error only", () => {
    const { input, row } = adminInput();
    choose(input, [new File(["too long"], "big.png")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    choose(input, [new File(["longer still"], "bigger.png")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const lists = row.querySelectorAll("ul.errorlist");
    assert.deepEqual([...lists].map((list) => list.textContent), ["“bigger.png” is too large."]);
  });
});

describe("Wagtail forms", () => {
  function wagtailField() {
    const input = directInput({ name: "file", maxSize: 5 });
    const form = input.form;
    const field = document.createElement("div");
    field.dataset.field = "";
    const errors = document.createElement("div");
    errors.dataset.fieldErrors = "";
    field.append(errors, input);
    const button = document.createElement("button");
    button.dataset.controller = "w-progress";
    form.append(field, button);
    return { input, field, button };
  }

  test("a refusal is Wagtail's field error, and the Uploading… button is given back", async () => {
    const deactivated = [];
    window.wagtail = {
      app: {
        getControllerForElementAndIdentifier: (element, identifier) =>
          identifier === "w-progress" ? { deactivate: () => deactivated.push(element) } : null,
      },
    };
    const { input, field, button } = wagtailField();
    choose(input, [new File(["too long"], "big.pdf")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const message = field.querySelector("[data-field-errors] .error-message");
    assert.equal(message.textContent, "“big.pdf” is too large.");
    assert.ok(field.classList.contains("w-field--error"));
    assert.equal(input.getAttribute("aria-describedby"), message.id);
    assert.equal(input.form.querySelector("ul.errorlist"), null, "not the core's list too");
    await tick();
    assert.deepEqual(deactivated, [button]);

    choose(input, [new File(["ok"], "ok.pdf")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    assert.equal(field.querySelector(".error-message"), null);
    assert.ok(!field.classList.contains("w-field--error"));
  });

  test("the bar under the input never shows more than 100 %", () => {
    const { input } = wagtailField();
    const file = new File(["x".repeat(17)], "a.txt");
    const detail = { file, fileLoaded: 17, fileTotal: 17, loaded: 17, total: 17, fraction: 1 };
    input.dispatchEvent(new CustomEvent("s3file:file-start", { bubbles: true, detail: { file } }));
    for (const fileLoaded of [9, 17, 1973]) {
      input.dispatchEvent(new CustomEvent("s3file:progress", {
        bubbles: true, detail: { ...detail, fileLoaded },
      }));
    }
    const bar = input.nextElementSibling;
    assert.equal(bar.getAttribute("aria-valuenow"), "100");
    assert.equal(bar.firstElementChild.style.width, "100%");
  });

  test("start and cancel are said once each; Cancel hands the focus back to the input", async () => {
    const { input } = wagtailField();
    input.dataset.s3fWagtail = JSON.stringify({
      uploading: "Uploading “{name}”", progress: "“{name}”: {percent} uploaded",
      cancelled: "Upload cancelled.", cancel: "Cancel upload",
    });
    const file = new File(["x".repeat(10)], "a.pdf");
    choose(input, [file]);
    input.dispatchEvent(new Event("change", { bubbles: true })); // the region is made here
    const region = input.form.querySelector("[data-s3f-status][role=status]");
    assert.equal(region.textContent, "");
    const spoken = [];
    new MutationObserver(() => spoken.push(region.textContent)).observe(region, {
      childList: true, characterData: true, subtree: true,
    });
    input.dispatchEvent(new CustomEvent("s3file:file-start", { bubbles: true, detail: { file } }));
    await tick(); // each change of the region's words is seen by the observer
    assert.equal(region.textContent, "Uploading “a.pdf”");
    const cancel = input.form.querySelector("[data-s3f-cancel]");
    assert.equal(cancel.textContent, "Cancel upload");
    // Progress right after the start is not said: a full interval has not passed.
    const detail = { file, fileLoaded: 5, fileTotal: 10, loaded: 5, total: 10, fraction: 0.5 };
    input.dispatchEvent(new CustomEvent("s3file:progress", { bubbles: true, detail }));
    await tick();
    assert.equal(region.textContent, "Uploading “a.pdf”");

    cancel.focus();
    input.form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    assert.equal(cancel.isConnected, false);
    assert.equal(document.activeElement, input);
    assert.equal(region.textContent, "Upload cancelled.");
    await tick();
    input.form.dispatchEvent(new CustomEvent("s3file:cancelled", { bubbles: true, detail: {} }));
    await tick();
    assert.deepEqual(spoken, ["Uploading “a.pdf”", "Upload cancelled."]);
  });
});
