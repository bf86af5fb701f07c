import "./dom.mjs";

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";

import { md5 } from "../../s3file/static/s3file/js/md5.js";

const base64 = (hex) => Buffer.from(hex, "hex").toString("base64");
const bytes = (text) => new TextEncoder().encode(text).buffer;

describe("md5", () => {
  // RFC 1321, appendix A.5 (the test suite).
  const suite = {
    "": "d41d8cd98f00b204e9800998ecf8427e",
    a: "0cc175b9c0f1b6a831c399e269772661",
    abc: "900150983cd24fb0d6963f7d28e17f72",
    "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
    abcdefghijklmnopqrstuvwxyz: "c3fcd3d76192e4007dfb496cca67e13b",
    ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:
      "d174ab98d277d9f5a5611c2c9f419d9f",
    ["1234567890".repeat(8)]: "57edf4a22be3c955ac49da2e2107b67a",
  };
  for (const [text, hex] of Object.entries(suite)) {
    test(`RFC 1321 vector ${JSON.stringify(text)} gives its digest in base64`, () => {
      assert.equal(md5(bytes(text)), base64(hex));
    });
  }

  test("lengths around the padding boundaries agree with node:crypto", () => {
    for (const length of [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7 + length) % 256);
      const expected = createHash("md5").update(data).digest("base64");
      assert.equal(md5(data.buffer), expected, `length ${length}`);
    }
  });

  test("a view at an unaligned offset is hashed as its own bytes", () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => i);
    const view = data.subarray(3, 190);
    assert.equal(md5(view), createHash("md5").update(view).digest("base64"));
  });

  test("a part of 5 MiB agrees with node:crypto", () => {
    const data = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    assert.equal(md5(data.buffer), createHash("md5").update(data).digest("base64"));
  });
});
