/**
 * One file to S3 with the policy a direct-upload input carries in its data attributes: the
 * checks the browser can make first, the key, one presigned POST or a multipart upload.
 * No side effects: s3file.js (the form behaviour) and Wagtail's multiple upload import it.
 */
import { fileBytes, fill } from "./events.js";
import { uploadMultipart } from "./multipart.js";
import { UploadError, s3Error, send } from "./request.js";
import { sha1Blob } from "./sha1.js";

export { UploadError };

/** The codes of UploadError; `data-s3f-messages` holds a sentence for each but `aborted`. */
const CODES = new Set(["too-large", "type", "network", "expired", "aborted"]);

/** An UploadError with the sentence the server translated for `code`. */
export function failure(input, code, name, reason = "", status = 0) {
  code = CODES.has(code) ? code : "refused";
  const texts = JSON.parse(input.dataset.s3fMessages || "{}");
  const message = fill(texts[code] || texts.refused || "{name}: {reason}", { name, reason });
  return new UploadError(code, message, status);
}

/** Whether a file named `name` of type `type` matches an `accept` attribute's list. */
export function accepts(accept, name, type) {
  const items = accept.toLowerCase().split(",").map((s) => s.trim()).filter(Boolean);
  [name, type] = [name.toLowerCase(), type.toLowerCase()];
  return !items.length || items.some((item) =>
    item.startsWith(".")
      ? name.endsWith(item)
      : item === "*" || item === "*/*" || type === item ||
        (item.endsWith("/*") && type.startsWith(item.slice(0, -1))));
}

/** The file's problem the browser can see before uploading, as an UploadError, or null. */
export function checkFile(input, file) {
  if (file.size > Number(input.dataset.s3fMaxSize || Infinity)) {
    return failure(input, "too-large", file.name);
  }
  return accepts(input.accept, file.name, file.type) ? null : failure(input, "type", file.name);
}

/**
 * The Content-Type to store: the server's type for an extension the input accepts (browsers
 * disagree on some, e.g. .csv), else the browser's.
 */
export function contentType(input, file) {
  const types = JSON.parse(input.dataset.s3fTypes || "{}");
  const name = file.name.toLowerCase();
  const extension = Object.keys(types).find((ext) => name.endsWith(ext));
  return types[extension] || file.type || "application/octet-stream";
}

/** Names S3 and the middleware accept as they are: no path, no control characters. */
export function safeName(name) {
  return name.replace(/[\x00-\x1f\x7f\\/]/g, "_").replace(/^\.{1,2}$/, "_") || "file";
}

/**
 * The key for a file named `name` under the policy's key template: a random subfolder of
 * its own, as inputs cloned from one rendered input (admin "Add another" rows) share a
 * folder, and two files may share a name.
 */
export function keyFor(template, name) {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const folder = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return template.replace("${filename}", `${folder}/${safeName(name)}`);
}

async function sha1(file) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", await file.arrayBuffer()));
  return btoa(String.fromCharCode(...digest));
}

/**
 * The SHA-1 (hex) of `file`, hashed in a worker where the page allows one (else on the page,
 * a chunk at a time); "" if it cannot be read or `signal` stops it first. Never rejects: the
 * server hashes a file posted without one.
 */
export function fileSha1(file, signal) {
  let worker;
  try {
    worker = new Worker(new URL("./sha1-worker.js", import.meta.url), { type: "module" });
  } catch {
    return sha1Blob(file, signal).catch(() => ""); // no Worker at all
  }
  return new Promise((resolve) => {
    const finish = (digest) => {
      worker.terminate();
      signal?.removeEventListener("abort", stop);
      resolve(digest);
    };
    const stop = () => finish("");
    signal?.addEventListener("abort", stop);
    worker.addEventListener("message", ({ data }) => finish(data.digest));
    // A worker the page refuses (a CSP, say) fails to load: hash here instead.
    worker.addEventListener("error", () => finish(sha1Blob(file, signal).catch(() => "")));
    worker.postMessage({ blob: file });
  });
}

/** POST `file` to S3 under `key` with the input's presigned policy. */
async function postFile(input, file, key, signal, onProgress) {
  const body = new FormData();
  const fields = JSON.parse(input.dataset.s3fFields);
  for (const [name, value] of Object.entries({ ...fields, key })) body.append(name, value);
  body.append("Content-Type", contentType(input, file));
  if (file.size <= Number(input.dataset.s3fChecksum) && globalThis.crypto?.subtle) {
    body.append("x-amz-checksum-sha1", await sha1(file)); // S3 refuses a corrupted body
  }
  body.append("file", file);
  const xhr = await send("POST", input.dataset.s3fUrl, body, {
    signal, onProgress: (loaded, total) => onProgress(fileBytes(loaded, total, file.size)),
  });
  if (xhr.status >= 200 && xhr.status < 300) return;
  const { code, text } = s3Error(xhr);
  const expired = code === "AccessDenied" && /expired/i.test(text);
  const kind = code === "EntityTooLarge" ? "too-large" : expired ? "expired" : "refused";
  throw new UploadError(kind, text, xhr.status);
}

/**
 * Upload `file` with `input`'s policy: one presigned POST, or in parts above the multipart
 * threshold. `onProgress(bytes)` gets the file's bytes sent (never more than its size).
 * Resolve to {key, token, sha1}; reject with an UploadError whose message is for the user.
 * `sha1`: for an input with `checksum` (data-s3f-checksum) whose file went in parts, its
 * SHA-1 (hex), hashed while the parts travel, for the form to post with the key (S3 verifies
 * none of a multipart upload; a POST's it verifies and keeps itself); else "".
 */
export async function uploadFile(input, file, signal, onProgress = () => {}, onRetry = () => {}) {
  const key = keyFor(JSON.parse(input.dataset.s3fFields).key, file.name);
  const threshold = JSON.parse(input.dataset.s3fMultipart || "{}").threshold;
  const hashing = new AbortController(); // stops the hash when the upload ends without it
  try {
    if (threshold && file.size > threshold) {
      const type = contentType(input, file);
      const sha1 = Number(input.dataset.s3fChecksum) ? fileSha1(file, hashing.signal) : "";
      const sent = await uploadMultipart({ input, file, key, contentType: type, signal,
        onProgress, onRetry });
      return { ...sent, sha1: await sha1 };
    }
    await postFile(input, file, key, signal, onProgress);
    return { key, token: input.dataset.s3fSignature, sha1: "" };
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    throw failure(input, error.code, file.name, error.message, error.status);
  } finally {
    hashing.abort();
  }
}
