import { FakeXHR, directInput } from "./dom.mjs";

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import {
  UploadError,
  accepts,
  checkFile,
  contentType,
  failure,
  keyFor,
  safeName,
  uploadFile,
} from "../../s3file/static/s3file/js/upload.js";

describe("accept checks", () => {
  test("no accept list takes any file", () => {
    assert.ok(accepts("", "anything.bin", ""));
  });

  test("an extension matches the end of the name, in any case", () => {
    assert.ok(accepts(".pdf", "Report.PDF", ""));
    assert.ok(!accepts(".pdf", "report.pdf.exe", "application/x-msdownload"));
  });

  test("a type matches exactly, a wildcard its family", () => {
    assert.ok(accepts("image/png", "a", "image/png"));
    assert.ok(!accepts("image/png", "a", "image/svg+xml"));
    assert.ok(accepts("image/*", "a", "image/svg+xml"));
    assert.ok(!accepts("image/*", "a", "imagex/png"));
    assert.ok(accepts("*/*", "a", "text/html"));
  });

  test("a list is checked item by item", () => {
    assert.ok(accepts("image/png, .pdf", "a.pdf", "application/pdf"));
    assert.ok(accepts("image/png, .pdf", "a.png", "image/png"));
    assert.ok(!accepts("image/png, .pdf", "a.html", "text/html"));
  });
});

describe("checkFile", () => {
  test("a file over the size limit is too-large, with the server's sentence", () => {
    const input = directInput({ maxSize: 10 });
    const error = checkFile(input, new File(["x".repeat(11)], "big.txt"));
    assert.ok(error instanceof UploadError);
    assert.equal(error.code, "too-large");
    assert.equal(error.message, "“big.txt” is too large.");
  });

  test("a file of a type the input refuses is type", () => {
    const input = directInput({ accept: "image/*" });
    const error = checkFile(input, new File(["%PDF"], "doc.pdf", { type: "application/pdf" }));
    assert.equal(error.code, "type");
    assert.equal(error.message, "“doc.pdf” is not a file type this field accepts.");
  });

  test("an accepted file within the limit passes", () => {
    const input = directInput({ accept: "image/*" });
    assert.equal(checkFile(input, new File(["png"], "a.png", { type: "image/png" })), null);
  });
});

describe("messages keyed by error code", () => {
  test("each code has its own sentence, an unknown code is refused", () => {
    const input = directInput();
    assert.equal(failure(input, "network", "a.txt").message, "“a.txt” could not be uploaded.");
    const odd = failure(input, "SomethingElse", "a.txt", "No way", 403);
    assert.deepEqual([odd.code, odd.message, odd.status], [
      "refused", "The storage server refused “a.txt”: No way", 403,
    ]);
  });

  test("a name with $& in it stays as it is", () => {
    assert.equal(failure(directInput(), "network", "$&.txt").message, "“$&.txt” could not be uploaded.");
  });
});

describe("key naming", () => {
  test("each file gets a random folder of its own under the policy's prefix", () => {
    const first = keyFor("tmp/s3file/abc/${filename}", "photo.png");
    const second = keyFor("tmp/s3file/abc/${filename}", "photo.png");
    assert.match(first, /^tmp\/s3file\/abc\/[0-9a-f]{16}\/photo\.png$/);
    assert.notEqual(first, second);
  });

  test("names lose paths and control characters", () => {
    assert.equal(safeName("..\\evil/name\n.txt"), ".._evil_name_.txt");
    assert.equal(safeName(".."), "_");
    assert.equal(safeName(""), "file");
  });
});

test("contentType prefers the server's type for an accepted extension", () => {
  const input = directInput({ accept: ".csv" });
  input.dataset.s3fTypes = JSON.stringify({ ".csv": "text/csv" });
  const file = new File(["a,b"], "DATA.CSV", { type: "application/vnd.ms-excel" });
  assert.equal(contentType(input, file), "text/csv");
  assert.equal(contentType(directInput(), new File([""], "x")), "application/octet-stream");
});

describe("uploadFile", () => {
  beforeEach(() => {
    FakeXHR.sent = [];
  });

  test("posts the policy, the key and the file; progress never passes the file's size", async () => {
    // A 17-byte file in a body of about 2 KB: S3's POST also carries the policy fields.
    FakeXHR.answer = () => ({ status: 204, progress: [[500, 2000], [2000, 2000]] });
    const input = directInput();
    const file = new File(["seventeen bytes!!"], "note.txt", { type: "text/plain" });
    const reported = [];
    const { key, token } = await uploadFile(input, file, null, (bytes) => reported.push(bytes));
    assert.deepEqual(reported, [4, 17]);
    assert.equal(token, "signed-grant");
    const { method, url, body } = FakeXHR.sent[0];
    assert.deepEqual([method, url], ["POST", "http://s3.test/bucket"]);
    assert.equal(body.get("key"), key);
    assert.equal(body.get("policy"), "p");
    assert.equal(body.get("Content-Type"), "text/plain");
    assert.equal(body.get("file").name, "note.txt");
  });

  test("S3's refusal becomes the code and sentence for the user", async () => {
    FakeXHR.answer = () => ({
      status: 400,
      text: "<Error><Code>EntityTooLarge</Code><Message>Too big</Message></Error>",
    });
    const input = directInput();
    await assert.rejects(uploadFile(input, new File(["x"], "a.txt"), null), {
      code: "too-large", message: "“a.txt” is too large.", status: 400,
    });
  });

  test("an expired policy is expired", async () => {
    FakeXHR.answer = () => ({
      status: 403,
      text: "<Error><Code>AccessDenied</Code><Message>Policy expired.</Message></Error>",
    });
    await assert.rejects(uploadFile(directInput(), new File(["x"], "a.txt"), null), {
      code: "expired",
    });
  });

  test("no answer at all is a network failure", async () => {
    FakeXHR.answer = () => ({ status: 0 });
    await assert.rejects(uploadFile(directInput(), new File(["x"], "a.txt"), null), {
      code: "network", status: 0,
    });
  });
});
