// Kept uploads (S3FileInputMixin.kept() renders them): what the page posts, the "Replace" and
// "Remove" buttons, and the events.
import { FakeXHR, choose, directInput } from "./dom.mjs";

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import "../../s3file/static/s3file/js/s3file.js";

const KEY = "tmp/s3file/abc/0f0f/report.pdf";

/** A direct-upload input as a form rendered again shows it: hidden, nameless, kept. */
function keptInput(name = "file") {
  const input = directInput({ name });
  input.name = "";
  input.hidden = true;
  input.dataset.s3fKept = KEY;
  input.dataset.s3fRequired = "";
  const block = document.createElement("div");
  block.dataset.s3fKeptFor = KEY;
  block.dataset.s3fKeptFiles = JSON.stringify([{ key: KEY, name: "report.pdf", size: 13 }]);
  block.innerHTML = `
    <button type="button" data-s3f-kept-action="replace">Replace</button>
    <button type="button" data-s3f-kept-action="remove">Remove</button>
    <input type="hidden" name="s3file" value="${name}" data-s3f-kept-post="marker">
    <input type="hidden" name="${name}-s3f-signature" value="kept-grant"
      data-s3f-kept-post="signature">
    <input type="hidden" name="${name}" value="${KEY}" data-s3f-kept-post="key">`;
  input.after(block);
  return { input, block, form: input.form };
}

const entries = (form) => [...new FormData(form)].map(([name, value]) => [name, String(value)]);
const seen = [];
for (const type of ["kept", "kept-removed", "start"]) {
  window.addEventListener(`s3file:${type}`, (event) => seen.push({ type, event }));
}

beforeEach(() => {
  document.body.replaceChildren();
  FakeXHR.sent = [];
  seen.length = 0;
});

function submit(form) {
  const event = new Event("submit", { bubbles: true, cancelable: true });
  form.dispatchEvent(event);
  return event;
}

describe("a kept upload", () => {
  test("is posted by the form itself: its key and grant, no upload, s3file:kept", () => {
    const { input, form } = keptInput();
    const event = submit(form);
    assert.equal(event.defaultPrevented, false); // the browser submits the form as it is
    assert.deepEqual(entries(form), [
      ["s3file", "file"], ["file-s3f-signature", "kept-grant"], ["file", KEY],
    ]);
    assert.deepEqual(seen.map((s) => s.type), ["kept"]);
    assert.equal(seen[0].event.target, input);
    assert.deepEqual(seen[0].event.detail.files, [{ key: KEY, name: "report.pdf", size: 13 }]);
    assert.equal(FakeXHR.sent.length, 0);
  });

  test("follows its row when the admin renumbers it: the marker names the field as it is", () => {
    const { block, form } = keptInput("rows-2-file");
    for (const element of block.querySelectorAll("input[name]")) {
      element.name = element.name.replace("rows-2-", "rows-1-");
    }
    submit(form);
    assert.deepEqual(entries(form), [
      ["s3file", "rows-1-file"], ["rows-1-file-s3f-signature", "kept-grant"], ["rows-1-file", KEY],
    ]);
  });

  test("Remove stops posting it and gives the field back, named and required", () => {
    const { input, block, form } = keptInput();
    block.querySelector("[data-s3f-kept-action=remove]").click();
    assert.equal(block.hidden, true);
    assert.equal(input.hidden, false);
    assert.equal(input.name, "file");
    assert.equal(input.required, true);
    assert.equal(document.activeElement, input);
    assert.deepEqual(entries(form).filter(([name]) => name !== "file"), []);
    assert.deepEqual(seen.map((s) => [s.type, s.event.detail.replaced]), [["kept-removed", false]]);
  });

  test("Replace opens the file chooser; a choice takes the kept file's place", () => {
    const { input, block } = keptInput();
    let opened = 0;
    input.click = () => opened++;
    block.querySelector("[data-s3f-kept-action=replace]").click();
    assert.equal(opened, 1);
    assert.equal(block.hidden, false); // nothing chosen yet: still kept

    choose(input, [new File(["new"], "new.pdf")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    assert.equal(block.hidden, true);
    assert.equal(input.name, "file");
    assert.deepEqual(seen.map((s) => [s.type, s.event.detail.replaced]), [["kept-removed", true]]);
  });

  test("a removed upload is not announced on submit", () => {
    const { block, form } = keptInput();
    block.querySelector("[data-s3f-kept-action=remove]").click();
    seen.length = 0;
    submit(form);
    assert.deepEqual(seen.map((s) => s.type), []);
  });
});
