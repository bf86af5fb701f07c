import "./dom.mjs";

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  Progress,
  describe as describeInput,
  emit,
  fileBytes,
  fill,
  fraction,
  legacyProgress,
} from "../../s3file/static/s3file/js/events.js";

describe("progress arithmetic", () => {
  test("fraction stays within 0 and 1, and is 1 with nothing to send", () => {
    assert.equal(fraction(5, 10), 0.5);
    assert.equal(fraction(20, 10), 1);
    assert.equal(fraction(-1, 10), 0);
    assert.equal(fraction(0, 0), 1);
  });

  test("a POST body's bytes scale to the file's, never above its size", () => {
    // The Wagtail documents case: 17 bytes of file in a 1,973-byte request.
    const bytes = [0, 100, 1000, 1973, 5000].map((loaded) => fileBytes(loaded, 1973, 17));
    assert.deepEqual(bytes, [0, 1, 9, 17, 17]);
    assert.equal(fileBytes(10, 0, 17), 0); // no length known: nothing claimed
  });

  test("Progress caps each file at its size and sums the form", () => {
    const a = { file: new File(["x".repeat(17)], "a.txt") };
    const b = { file: new File(["y".repeat(83)], "b.txt") };
    const progress = new Progress([a, b]);
    assert.deepEqual(progress.update(a, 1973), {
      file: a.file, fileLoaded: 17, fileTotal: 17, loaded: 17, total: 100, fraction: 0.17,
    });
    const detail = progress.update(b, 83);
    assert.deepEqual([detail.loaded, detail.total, detail.fraction], [100, 100, 1]);
    assert.deepEqual(progress.sum((item) => item === b), { loaded: 83, total: 83 });
  });

  test("no update ever reports more than 100 %", () => {
    const items = [17, 0, 36_000].map((size, i) => ({ file: new File(["z".repeat(size)], `${i}`) }));
    const progress = new Progress(items);
    for (const item of items) {
      for (const bytes of [0, 1, item.file.size, item.file.size + 2048, 1e9]) {
        const d = progress.update(item, bytes);
        assert.ok(d.fileLoaded <= d.fileTotal && d.loaded <= d.total && d.fraction <= 1);
      }
    }
  });
});

describe("events", () => {
  test("emit dispatches a bubbling s3file: event, cancelable on request", () => {
    const form = document.createElement("form");
    const input = document.createElement("input");
    form.append(input);
    const seen = [];
    form.addEventListener("s3file:error", (event) => {
      seen.push([event.target, event.detail, event.cancelable]);
      event.preventDefault();
    });
    assert.equal(emit(input, "error", { code: "type" }, true), false);
    assert.deepEqual(seen, [[input, { code: "type" }, true]]);
    assert.equal(emit(input, "error", {}), true); // not cancelable: preventDefault is moot
  });

  test("the 7.x progress event reaches the form and the input, each with its own totals", () => {
    const form = document.createElement("form");
    const input = document.createElement("input");
    form.append(input);
    const file = new File(["x".repeat(40)], "a.txt");
    const seen = [];
    for (const target of [form, input]) {
      target.addEventListener("progress", (event) => seen.push([event.currentTarget, event]));
    }
    const detail = { file, fileLoaded: 10, fileTotal: 40, loaded: 30, total: 100 };
    legacyProgress(form, input, detail, { loaded: 10, total: 50 });
    assert.equal(seen.length, 2, "each listener once: the event does not bubble");
    const [[onForm, formEvent], [onInput, inputEvent]] = seen;
    assert.equal(onForm, form);
    assert.equal(onInput, input);
    assert.equal(formEvent.bubbles, false);
    const { originalEvent, ...fields } = formEvent.detail;
    assert.deepEqual(fields, {
      progress: 0.3, loaded: 30, total: 100, currentFile: file, currentFileName: "a.txt",
      currentFileProgress: 0.25,
    });
    assert.deepEqual([originalEvent.type, originalEvent.loaded, originalEvent.total], [
      "progress", 10, 40,
    ]);
    assert.deepEqual([inputEvent.detail.progress, inputEvent.detail.loaded, inputEvent.detail.total], [
      0.2, 10, 50,
    ]);
  });
});

describe("helpers", () => {
  test("fill replaces known placeholders and keeps others", () => {
    assert.equal(fill("{name} ({size}) {other}", { name: "$&a", size: 3 }), "$&a (3) {other}");
  });

  test("describe adds and removes one id of aria-describedby, keeping the others", () => {
    const input = document.createElement("input");
    input.setAttribute("aria-describedby", "help");
    describeInput(input, "error");
    describeInput(input, "error");
    assert.equal(input.getAttribute("aria-describedby"), "help error");
    describeInput(input, "help", false);
    describeInput(input, "error", false);
    assert.equal(input.hasAttribute("aria-describedby"), false);
  });
});
