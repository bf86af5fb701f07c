import "./dom.mjs";

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  backoff,
  partLength,
  partsToSend,
} from "../../s3file/static/s3file/js/multipart.js";

const MiB = 1024 * 1024;

describe("part sizes", () => {
  test("every part is partSize but the last, which holds the rest", () => {
    const size = 12 * MiB + 5;
    assert.deepEqual([1, 2, 3].map((n) => partLength(n, size, 5 * MiB)), [5 * MiB, 5 * MiB, 2 * MiB + 5]);
  });

  test("the parts add up to the file", () => {
    for (const size of [1, 5 * MiB, 5 * MiB + 1, 64 * MiB - 3]) {
      const parts = Math.ceil(size / (5 * MiB));
      let sum = 0;
      for (let n = 1; n <= parts; n++) sum += partLength(n, size, 5 * MiB);
      assert.equal(sum, size);
    }
  });

  test("a part number past the end has no bytes", () => {
    assert.equal(partLength(4, 10 * MiB, 5 * MiB), 0);
  });
});

describe("parts to send", () => {
  test("a new upload sends every part", () => {
    assert.deepEqual(partsToSend(11 * MiB, 5 * MiB, 3, new Map()), [1, 2, 3]);
  });

  test("a resumed upload sends only the parts S3 does not hold whole", () => {
    const inS3 = new Map([[1, 5 * MiB], [2, 4 * MiB], [3, MiB]]); // part 2 cut short
    assert.deepEqual(partsToSend(11 * MiB, 5 * MiB, 3, inS3), [2]);
  });
});

describe("retry back-off", () => {
  test("starts between 250 and 500 ms", () => {
    assert.equal(backoff(1, 0), 250);
    assert.equal(backoff(1, 1), 500);
  });

  test("doubles with each attempt", () => {
    assert.deepEqual([1, 2, 3, 4].map((attempt) => backoff(attempt, 1)), [500, 1000, 2000, 4000]);
  });

  test("never waits more than 30 s", () => {
    assert.equal(backoff(20, 1), 30_000);
    assert.equal(backoff(50, 0), 15_000);
  });

  test("is jittered by default, within its bounds", () => {
    const delays = Array.from({ length: 50 }, () => backoff(3));
    assert.ok(delays.every((delay) => delay >= 1000 && delay <= 2000));
    assert.ok(new Set(delays).size > 1);
  });
});
