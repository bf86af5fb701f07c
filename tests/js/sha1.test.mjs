import "./dom.mjs";

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";

import { CHUNK, Sha1, sha1Blob } from "../../s3file/static/s3file/js/sha1.js";
import { fileSha1 } from "../../s3file/static/s3file/js/upload.js";

const text = (value) => new TextEncoder().encode(value);
const expected = (data) => createHash("sha1").update(data).digest("hex");
const pattern = (length) => Uint8Array.from({ length }, (_, i) => (i * 31 + length) % 251);

describe("Sha1", () => {
  // FIPS 180-2, appendix A, and the empty message.
  const vectors = {
    "": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    abc: "a9993e364706816aba3e25717850c26c9cd0d89d",
    abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq:
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  };
  for (const [message, hex] of Object.entries(vectors)) {
    test(`FIPS 180 vector ${JSON.stringify(message)} gives its digest`, () => {
      assert.equal(new Sha1().update(text(message)).hex(), hex);
    });
  }

  test("FIPS 180 vector of a million a's, fed in pieces of 1000, gives its digest", () => {
    const hash = new Sha1();
    const piece = text("a".repeat(1000));
    for (let i = 0; i < 1000; i++) hash.update(piece);
    assert.equal(hash.hex(), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  });

  test("lengths around the padding boundaries agree with node:crypto", () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]) {
      const data = pattern(length);
      assert.equal(new Sha1().update(data).hex(), expected(data), `length ${length}`);
    }
  });

  test("bytes fed in pieces of any size hash as the whole", () => {
    const data = pattern(5000);
    for (const size of [1, 3, 63, 64, 65, 100, 4999]) {
      const hash = new Sha1();
      for (let offset = 0; offset < data.length; offset += size) {
        hash.update(data.subarray(offset, offset + size));
      }
      assert.equal(hash.hex(), expected(data), `pieces of ${size}`);
    }
  });

  test("an ArrayBuffer and a view at an unaligned offset hash as their own bytes", () => {
    const data = pattern(300);
    assert.equal(new Sha1().update(data.buffer).hex(), expected(data));
    const view = data.subarray(3, 290);
    assert.equal(new Sha1().update(view).hex(), expected(view));
  });
});

describe("sha1Blob", () => {
  test("a file over several chunks agrees with node:crypto", async () => {
    const data = pattern(2 * CHUNK + 12345);
    assert.equal(await sha1Blob(new Blob([data])), expected(data));
  });

  test("an empty file has the empty message's digest", async () => {
    assert.equal(await sha1Blob(new Blob([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  });

  test("a stopped hash rejects", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(sha1Blob(new Blob([pattern(10)]), controller.signal));
  });
});

describe("fileSha1", () => {
  test("hashes on the page where there is no Worker", async () => {
    assert.equal(typeof globalThis.Worker, "undefined");
    const data = pattern(CHUNK + 7);
    assert.equal(await fileSha1(new Blob([data])), expected(data));
  });

  test("gives no digest, rather than failing, when stopped", async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(await fileSha1(new Blob([pattern(10)]), controller.signal), "");
  });
});
