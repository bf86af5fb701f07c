import { FakeXHR } from "./dom.mjs";

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { GRANT_URL, policyOf, upload } from "../../s3file/static/s3file/js/client.js";
import { checkFile } from "../../s3file/static/s3file/js/upload.js";

const JSON_HEADERS = { "content-type": "application/json" };
const AUTH = { Authorization: "Token secret" };

/** What the grant endpoint answers (s3file.api.grant), for a field with these limits. */
function grant({ maxSize = 1000, accept = "", threshold = 0 } = {}) {
  return {
    field: "library.Document.file",
    url: "http://s3.test/bucket",
    fields: { key: "tmp/s3file/abc/${filename}", policy: "p" },
    token: "signed-grant",
    maxSize,
    accept,
    concurrency: 4,
    checksum: 0,
    messages: { "too-large": "“{name}” is too large.", refused: "Refused “{name}”: {reason}" },
    multipart: { url: "/__s3file__/multipart/", threshold, concurrency: 2, retries: 1 },
    types: {},
  };
}

function json(status, body) {
  return { status, text: JSON.stringify(body), headers: JSON_HEADERS };
}

describe("upload", () => {
  beforeEach(() => {
    FakeXHR.sent = [];
    localStorage.clear();
  });

  test("asks for a grant, posts the file to storage, resolves to token/key", async () => {
    FakeXHR.answer = (xhr) =>
      xhr.url === GRANT_URL ? json(200, grant()) : { status: 201, progress: [[9, 9]] };
    const file = new File(["%PDF-1.4"], "report.pdf", { type: "application/pdf" });
    const seen = [];
    const events = [];
    const target = new EventTarget();
    for (const type of ["file-start", "progress", "file-done"]) {
      target.addEventListener(`s3file:${type}`, (event) => events.push(event.type));
    }
    const value = await upload(file, {
      field: "library.Document.file", headers: AUTH, target,
      onProgress: (detail) => seen.push(detail.fraction),
    });
    const [asked, posted] = FakeXHR.sent;
    assert.deepEqual(JSON.parse(asked.body), {
      field: "library.Document.file", name: "report.pdf", size: 8, type: "application/pdf",
    });
    assert.equal(asked.headers.Authorization, "Token secret");
    assert.equal(posted.url, "http://s3.test/bucket");
    assert.equal(posted.headers.Authorization, undefined); // never to storage
    const key = posted.body.get("key");
    assert.match(key, /^tmp\/s3file\/abc\/[0-9a-f]{16}\/report\.pdf$/);
    assert.equal(value, `signed-grant/${key}`);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(events, ["s3file:file-start", "s3file:progress", "s3file:file-done"]);
  });

  test("a large file goes in parts through the multipart API, with the headers", async () => {
    FakeXHR.answer = (xhr) => {
      if (xhr.url === GRANT_URL) return json(200, grant({ threshold: 5 }));
      if (xhr.url.endsWith("/create/")) {
        return json(200, { upload: "handle", partSize: 6, parts: 2, contentMd5: false,
          urls: { 1: "http://s3.test/p1", 2: "http://s3.test/p2" } });
      }
      if (xhr.url.endsWith("/complete/")) return json(200, { key: "done" });
      return { status: 200 };
    };
    const file = new File(["0123456789"], "big.bin");
    const value = await upload(file, { field: "library.Document.file", headers: AUTH, target: null });
    const byUrl = Object.fromEntries(FakeXHR.sent.map((request) => [request.url, request]));
    const created = JSON.parse(byUrl["/__s3file__/multipart/create/"].body);
    assert.equal(created.token, "signed-grant");
    assert.equal(byUrl["/__s3file__/multipart/create/"].headers.Authorization, "Token secret");
    assert.equal(byUrl["/__s3file__/multipart/complete/"].headers.Authorization, "Token secret");
    assert.equal(byUrl["http://s3.test/p1"].headers.Authorization, undefined);
    assert.equal(byUrl["http://s3.test/p1"].body.size, 6);
    assert.equal(byUrl["http://s3.test/p2"].body.size, 4);
    assert.equal(JSON.parse(byUrl["/__s3file__/multipart/complete/"].body).md5.length, 2);
    assert.equal(value, `signed-grant/${created.key}`);
  });

  test("the grant endpoint's refusal rejects with its code and sentence, as an error event", async () => {
    FakeXHR.answer = () => json(403, { error: "You may not upload files here.", code: "forbidden" });
    const target = new EventTarget();
    const errors = [];
    target.addEventListener("s3file:error", (event) => errors.push(event.detail.code));
    await assert.rejects(upload(new File(["x"], "a.txt"), { field: "f", target }), {
      code: "forbidden", message: "You may not upload files here.", status: 403,
    });
    assert.deepEqual(errors, ["forbidden"]);
    assert.equal(FakeXHR.sent.length, 1);
  });

  test("a file over the grant's limit is refused before a byte is sent", async () => {
    FakeXHR.answer = () => json(200, grant({ maxSize: 3 }));
    await assert.rejects(upload(new File(["toolong"], "a.txt"), { field: "f", target: null }), {
      code: "too-large", message: "“a.txt” is too large.",
    });
    assert.equal(FakeXHR.sent.length, 1); // the grant only
  });

  test("an aborted signal stops it without an error event", async () => {
    const controller = new AbortController();
    controller.abort();
    const target = new EventTarget();
    let errors = 0;
    target.addEventListener("s3file:error", () => errors++);
    await assert.rejects(
      upload(new File(["x"], "a.txt"), { field: "f", signal: controller.signal, target }),
      { code: "aborted" },
    );
    assert.equal(errors, 0);
  });
});

describe("policyOf", () => {
  test("a grant reads as a rendered input, so the form's checks apply unchanged", () => {
    const policy = policyOf(grant({ maxSize: 3, accept: "image/*" }));
    assert.equal(policy.name, "library.Document.file");
    assert.equal(checkFile(policy, new File(["toolong"], "a.png", { type: "image/png" })).code,
      "too-large");
    assert.equal(checkFile(policy, new File(["x"], "a.pdf", { type: "application/pdf" })).code,
      "type");
    assert.equal(checkFile(policy, new File(["x"], "a.png", { type: "image/png" })), null);
  });
});
