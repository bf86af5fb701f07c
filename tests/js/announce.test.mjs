import "./dom.mjs";

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { Announcer, PROGRESS_INTERVAL } from "../../s3file/static/s3file/js/announce.js";

function announcer() {
  const region = document.createElement("p");
  const clock = { time: 1000 };
  const spoken = [];
  // What a screen reader hears: each change of the region's words.
  new MutationObserver(() => spoken.push(region.textContent)).observe(region, {
    childList: true, characterData: true, subtree: true,
  });
  const flush = () => new Promise((resolve) => setTimeout(resolve));
  return { region, clock, spoken, flush, announcer: new Announcer(region, { now: () => clock.time }) };
}

describe("announcements", () => {
  test("a moment is said at once, and the same words twice are said once", async () => {
    const { announcer: a, spoken, flush } = announcer();
    assert.equal(a.say("Uploading 1 of 2"), true);
    await flush();
    assert.equal(a.say("Uploading 1 of 2"), false);
    await flush();
    assert.deepEqual(spoken, ["Uploading 1 of 2"]);
  });

  test("progress waits a full interval after the last words", () => {
    const { announcer: a, clock, region } = announcer();
    a.say("Uploading 1 of 1");
    clock.time += PROGRESS_INTERVAL - 1;
    assert.equal(a.progress("10%"), false);
    assert.equal(region.textContent, "Uploading 1 of 1");
    clock.time += 1;
    assert.equal(a.progress("12%"), true);
    assert.equal(region.textContent, "12%");
  });

  test("progress is said at most once an interval, however often it comes", () => {
    const { announcer: a, clock } = announcer();
    a.say("Uploading 1 of 1");
    const said = [];
    // An event every 50 ms for 20 s, as XHR progress comes.
    for (let step = 1; step <= 400; step += 1) {
      clock.time += 50;
      if (a.progress(`${step}`)) said.push(step);
    }
    assert.deepEqual(said, [100, 200, 300, 400]);
    assert.ok(PROGRESS_INTERVAL >= 2000 && PROGRESS_INTERVAL <= 10000); // "every few seconds"
  });

  test("an end is said at once, even right after progress", () => {
    const { announcer: a, clock, region } = announcer();
    a.say("Uploading 1 of 1");
    clock.time += PROGRESS_INTERVAL;
    a.progress("50%");
    clock.time += 1;
    assert.equal(a.say("Upload failed."), true);
    assert.equal(region.textContent, "Upload failed.");
  });

  test("cleared, the region is empty and the same start is said again", () => {
    const { announcer: a, region } = announcer();
    a.say("Uploading 1 of 1");
    a.clear();
    assert.equal(region.textContent, "");
    assert.equal(a.say("Uploading 1 of 1"), true);
    assert.equal(a.progress("1%"), false);
  });
});
