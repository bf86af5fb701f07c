/**
 * Large files in parts (S3 multipart upload), through s3file's JSON endpoints: parts go up in
 * parallel, hashed (MD5) on the way for the server to check against S3's ETags at the end; a
 * part that meets a network error or a 5xx is sent again after an exponential backoff, one
 * that arrived corrupted when the server finds it out. An unfinished upload
 * is remembered (localStorage: page, field, file name, size and last-modified time), so
 * choosing the same file after a reload sends only the parts S3 does not have yet.
 */
import { md5 } from "./md5.js";
import { UploadError, pool, s3Error, send, sleep } from "./request.js";

const SIGN_BATCH = 20;
// Parts are hashed in workers, as many as the machine has cores (MD5 in JavaScript runs at
// some 60-300 MiB/s a core), so hashing neither blocks the page nor paces the upload.
const MAX_WORKERS = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
const workers = []; // {worker, jobs: Map(id -> {blob, resolve})}
let lastId = 0;
let refused = false; // workers not allowed (a CSP, say): hash on the page instead

// A file changed on disk since it was chosen cannot be read: its PUT fails the same way.
const unreadable = () => Promise.reject(new UploadError("network", ""));
const hashHere = (blob) => blob.arrayBuffer().then(md5, unreadable);

function spawn() {
  const worker = new Worker(new URL("./md5-worker.js", import.meta.url), { type: "module" });
  const slot = { worker, jobs: new Map() };
  worker.addEventListener("message", ({ data: { id, digest } }) => {
    slot.jobs.get(id).resolve(digest ?? unreadable());
    slot.jobs.delete(id);
  });
  worker.addEventListener("error", () => {
    refused = true;
    workers.splice(workers.indexOf(slot), 1);
    for (const { blob, resolve } of slot.jobs.values()) resolve(hashHere(blob));
  });
  workers.push(slot);
  return slot;
}

/** The part's MD5 (base64), computed in a worker when the page allows one. */
function partMd5(blob) {
  try {
    if (!refused && workers.length < MAX_WORKERS) spawn();
  } catch {
    refused = true; // no Worker at all
  }
  if (!workers.length) return hashHere(blob);
  const slot = workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  return new Promise((resolve) => {
    const id = ++lastId;
    slot.jobs.set(id, { blob, resolve });
    slot.worker.postMessage({ id, blob });
  });
}

const TRANSIENT = new Set(["BadDigest", "RequestTimeout", "SlowDown", "InternalError"]);

/** An unfinished upload from localStorage, or null (private browsing: no resume). */
function recall(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

/** Keep `value` for `key` in localStorage; undefined forgets it. */
function remember(key, value) {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {} // private browsing: no resume after a reload, nothing worse
}

/** Milliseconds before retry `attempt` (1, 2, ...): doubling from 0.5 s up to 30 s, jittered. */
export function backoff(attempt, random = Math.random()) {
  return Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + random / 2);
}

/** The bytes of part `n` (from 1) of a file of `size` bytes in parts of `partSize`. */
export function partLength(n, size, partSize) {
  return Math.max(0, Math.min(partSize, size - (n - 1) * partSize));
}

/** The part numbers still to send: those S3 does not hold whole (`sizes`: number -> bytes). */
export function partsToSend(size, partSize, parts, sizes) {
  return Array.from({ length: parts }, (_, i) => i + 1)
    .filter((n) => sizes.get(n) !== partLength(n, size, partSize));
}

/**
 * POST `body` as JSON to an endpoint of the multipart API; resolve to its answer. `extra`:
 * headers of the API client's (client.js: a token), none for a rendered form.
 */
async function call(url, body, signal, extra = {}) {
  const headers = { ...extra, "Content-Type": "application/json" };
  const xhr = await send("POST", url, JSON.stringify(body), { signal, headers, stall: 0 });
  const json = xhr.getResponseHeader("Content-Type")?.startsWith("application/json");
  const data = json ? JSON.parse(xhr.responseText) : {};
  if (xhr.status >= 200 && xhr.status < 300) return data;
  const error = new UploadError(data.code || "refused", data.error || xhr.statusText, xhr.status);
  throw Object.assign(error, { parts: data.parts });
}

function transient(error) {
  return error.code === "network" || error.status >= 500 || TRANSIENT.has(error.s3Code) ||
    (error.s3Code === "AccessDenied" && /expired/i.test(error.message)); // an old part URL
}

/**
 * Upload `file` to `key` in parts; resolve to {key, token}: a resumed upload keeps the key
 * (and the signed grant) of the page it started on.
 */
export async function uploadMultipart({
  input, file, key, contentType, signal, onProgress, onRetry,
}) {
  const config = JSON.parse(input.dataset.s3fMultipart);
  const api = (action, body, abortSignal = signal) =>
    call(`${config.url}${action}/`, body, abortSignal, config.headers);
  const memory = ["s3file", location.pathname, input.name, file.name, file.size,
    file.lastModified].join(":");
  const sizes = new Map(); // part number -> bytes in S3, or sent so far
  let upload = recall(memory);
  let firstUrls = {};
  if (upload) {
    try {
      const { parts, contentMd5 } = await api("list", { upload: upload.handle });
      for (const part of parts) sizes.set(part.partNumber, part.size);
      upload.contentMd5 = contentMd5; // the handle's say, not an older script's entry
    } catch (error) {
      if (error.code === "aborted") throw error;
      upload = null; // gone or expired: start over
    }
  }
  if (!upload) {
    const token = input.dataset.s3fSignature;
    const created = await api("create", { token, key, size: file.size, contentType });
    upload = { handle: created.upload, key, token, partSize: created.partSize,
      parts: created.parts, contentMd5: created.contentMd5 };
    firstUrls = created.urls ?? {};
    remember(memory, upload);
  }
  const { partSize, parts, handle } = upload;
  const todo = partsToSend(file.size, partSize, parts, sizes);
  for (const n of todo) sizes.delete(n);
  const report = () => onProgress([...sizes.values()].reduce((a, b) => a + b, 0));
  report();

  // `create` signed the first parts: no round trip before the first byte.
  const urls = new Map(Object.entries(firstUrls).map(([n, url]) => [+n, url]));
  const urlFor = (n) => {
    if (!urls.has(n)) {
      const batch = [n, ...todo.filter((m) => m > n && !urls.has(m))].slice(0, SIGN_BATCH);
      const signed = api("sign", { upload: handle, parts: batch }).then((r) => r.urls);
      for (const m of batch) {
        const url = signed.then((all) => all[m]);
        url.catch(() => {}); // awaited by its part's worker, which may never run
        urls.set(m, url);
      }
    }
    return urls.get(n);
  };
  // Each part's MD5, hashed while it travels: `complete` hands them to the server, which
  // compares them with the ETags S3 computed (`contentMd5`: S3 checks each PUT instead, where
  // ETags are no MD5s).
  const slice = (n) => file.slice((n - 1) * partSize, n * partSize); // the last: to the end
  const digests = new Map(); // part number -> Promise of its MD5 (base64)
  const digest = (n) => {
    if (!digests.has(n)) digests.set(n, partMd5(slice(n)));
    digests.get(n).catch(() => {}); // awaited by complete, which a failed part never reaches
    return digests.get(n);
  };

  const sendPart = async (n) => {
    const blob = slice(n);
    const md5 = digest(n); // hashing starts now; only `complete` (or contentMd5) waits for it
    const headers = upload.contentMd5 ? { "Content-MD5": await md5 } : {};
    for (let attempt = 1; ; attempt++) {
      try {
        const xhr = await send("PUT", await urlFor(n), blob, {
          signal,
          headers,
          onProgress: (bytes) => {
            sizes.set(n, Math.min(bytes, blob.size));
            report();
          },
        });
        if (xhr.status >= 200 && xhr.status < 300) {
          sizes.set(n, blob.size);
          report();
          return;
        }
        const { code, text } = s3Error(xhr);
        throw Object.assign(new UploadError("refused", text, xhr.status), { s3Code: code });
      } catch (error) {
        sizes.delete(n);
        report();
        if (!transient(error) || attempt > config.retries) throw error;
        urls.delete(n); // sign afresh: the URL may be what failed
        const delay = backoff(attempt);
        onRetry({ part: n, attempt, delay, reason: error.message || `HTTP ${error.status}` });
        await sleep(delay, signal);
      }
    }
  };

  try {
    await pool(todo, config.concurrency, sendPart);
    const numbers = Array.from({ length: parts }, (_, i) => i + 1);
    for (let round = 1; ; round++) {
      try {
        // Parts resumed from S3 are hashed now, a few at a time (each is read into memory).
        await pool(upload.contentMd5 ? [] : numbers, config.concurrency, async (n) => {
          if (signal?.aborted) throw new UploadError("aborted", "");
          await digest(n);
        });
        const md5 = upload.contentMd5 ? undefined : await Promise.all(numbers.map(digest));
        await api("complete", { upload: handle, md5 });
        break;
      } catch (error) {
        // Parts that changed on the way: send them again, as S3 would have asked.
        if (error.code !== "BadDigest" || round > config.retries) throw error;
        for (const part of error.parts) {
          urls.delete(part); // a part resumed from S3 has none yet
          onRetry({ part, attempt: round, delay: 0, reason: error.message });
        }
        await pool(error.parts, config.concurrency, sendPart);
      }
    }
  } catch (error) {
    if (error.code === "aborted") {
      // Cancelled: free the parts in S3 (the pool has settled, no part is in flight).
      remember(memory);
      await api("abort", { upload: handle }, null).catch(() => {});
    }
    throw error;
  }
  remember(memory);
  return { key: upload.key, token: upload.token };
}
