// The contract of s3file.js (the entry that listens on the window) with the page and with the
// admin and Wagtail scripts: which events, in which order, with what.
import { FakeXHR, choose, directInput } from "./dom.mjs";

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import "../../s3file/static/s3file/js/s3file.js";

const TYPES = ["select", "start", "file-start", "progress", "file-done", "error", "done"];
let seen;

beforeEach(() => {
  document.body.replaceChildren();
  FakeXHR.sent = [];
  seen = [];
});

for (const type of TYPES) {
  window.addEventListener(`s3file:${type}`, (event) => seen.push({ type, event }));
}

const until = (predicate) =>
  new Promise((resolve) => {
    const poll = () => (predicate() ? resolve() : setTimeout(poll, 5));
    poll();
  });

function pick(event, ...keys) {
  return Object.fromEntries(keys.map((key) => [key, event.detail[key]]));
}

describe("choosing files", () => {
  test("s3file:select comes first, then the error of a refused file", () => {
    const input = directInput({ maxSize: 5 });
    choose(input, [new File(["too long"], "big.txt")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    assert.deepEqual(seen.map((s) => s.type), ["select", "error"]);
    assert.equal(seen[0].event.target, input);
    assert.deepEqual(seen[0].event.detail.valid, false);
    assert.deepEqual(pick(seen[1].event, "code", "reason"), {
      code: "too-large", reason: "“big.txt” is too large.",
    });
    assert.equal(input.validationMessage, "“big.txt” is too large.");
  });

  test("an accepted file is selected and valid, with no error", () => {
    const input = directInput();
    const file = new File(["ok"], "ok.txt");
    choose(input, [file]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    assert.deepEqual(seen.map((s) => s.type), ["select"]);
    assert.deepEqual(seen[0].event.detail, { files: [file], valid: true });
  });

  test("a page that prevents s3file:error shows it its own way: no list of ours", () => {
    const input = directInput({ maxSize: 1 });
    const stop = (event) => event.preventDefault();
    input.addEventListener("s3file:error", stop);
    choose(input, [new File(["xx"], "a.txt")]);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.removeEventListener("s3file:error", stop);
    assert.equal(input.form.querySelector("ul.errorlist"), null);
  });
});

describe("submitting", () => {
  test("uploads, reports capped progress, then submits with the keys", async () => {
    FakeXHR.answer = () => ({ status: 204, progress: [[1000, 2000], [2000, 2000]] });
    const input = directInput();
    const form = input.form;
    const legacy = [];
    form.addEventListener("progress", (event) => legacy.push(["form", event.detail]));
    input.addEventListener("progress", (event) => legacy.push(["input", event.detail]));
    const submitted = [];
    form.requestSubmit = (button) => submitted.push(new FormData(form));
    const file = new File(["seventeen bytes!!"], "note.txt");
    choose(input, [file]);
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await until(() => submitted.length);

    assert.deepEqual(seen.map((s) => s.type), [
      "start", "file-start", "progress", "progress", "progress", "file-done", "done",
    ]);
    const [start] = seen;
    assert.equal(start.event.target, form);
    assert.deepEqual(pick(start.event, "files", "total"), { files: [file], total: 17 });
    for (const { event } of seen.filter((s) => s.type === "progress")) {
      const { fileLoaded, fileTotal, loaded, total, fraction } = event.detail;
      assert.ok(fileLoaded <= fileTotal && loaded <= total && fraction <= 1, event.detail);
    }
    assert.deepEqual(
      seen.filter((s) => s.type === "progress").map((s) => s.event.detail.fileLoaded),
      [9, 17, 17],
    );
    // django-s3file 7.x's event, on the form and on the input.
    assert.deepEqual(legacy.map(([where, d]) => [where, d.progress, d.currentFileName]), [
      ["form", 9 / 17, "note.txt"], ["input", 9 / 17, "note.txt"],
      ["form", 1, "note.txt"], ["input", 1, "note.txt"],
      ["form", 1, "note.txt"], ["input", 1, "note.txt"],
    ]);
    const { key } = seen.find((s) => s.type === "file-done").event.detail;
    const data = submitted[0];
    assert.deepEqual(data.getAll("file"), [key]);
    assert.deepEqual(data.getAll("s3file"), ["file"]);
    assert.deepEqual(data.getAll("file-s3f-signature"), ["signed-grant"]);
  });

  test("a failed upload is one s3file:error on its input, and no submit", async () => {
    FakeXHR.answer = () => ({ status: 0 });
    const input = directInput();
    input.form.requestSubmit = () => assert.fail("submitted after a failure");
    choose(input, [new File(["x"], "a.txt")]);
    input.form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await until(() => seen.some((s) => s.type === "error"));
    const errors = seen.filter((s) => s.type === "error");
    assert.equal(errors.length, 1);
    assert.deepEqual(pick(errors[0].event, "code", "status"), { code: "network", status: 0 });
    assert.equal(input.form.querySelector("[role=alert] > ul.errorlist").textContent,
      "“a.txt” could not be uploaded.");
  });
});
