/** HTTP for uploads: XHR (fetch reports no upload progress), S3's XML errors, a worker pool. */

export class UploadError extends Error {
  /**
   * @param {string} code  too-large | type | network | expired | refused | aborted
   * @param {string} reason  a sentence for the user
   * @param {number} status  the HTTP status, 0 when there was no answer
   */
  constructor(code, reason, status = 0) {
    super(reason);
    this.code = code;
    this.status = status;
  }
}

/**
 * Without a byte of progress for this long, a transfer that has begun sending counts as a
 * network failure (one the browser queues behind others to the same host only waits).
 */
export const STALL_MS = 120_000;

/**
 * Send `body`; resolve to the finished XHR whatever its status, reject without an answer.
 * `onProgress(loaded, total)` gets the request body's bytes; `stall` 0 waits forever.
 */
export function send(
  method, url, body, { signal, headers = {}, onProgress = () => {}, stall = STALL_MS } = {},
) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UploadError("aborted", ""));
    const xhr = new XMLHttpRequest();
    let stalled = false;
    let timer;
    const watch = () => {
      clearTimeout(timer);
      if (!stall) return;
      timer = setTimeout(() => {
        stalled = true;
        xhr.abort();
      }, stall);
    };
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (event) => {
      watch();
      onProgress(event.loaded, event.total);
    });
    xhr.addEventListener("progress", watch);
    xhr.addEventListener("loadend", () => clearTimeout(timer));
    xhr.addEventListener("load", () => resolve(xhr));
    xhr.addEventListener("error", () => reject(new UploadError("network", "")));
    xhr.addEventListener("abort", () => reject(new UploadError(stalled ? "network" : "aborted", "")));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Why S3 refused, from its XML error: {code, text}. */
export function s3Error(xhr) {
  const xml = new DOMParser().parseFromString(xhr.responseText || "<x/>", "application/xml");
  const pick = (tag) => xml.getElementsByTagName(tag)[0]?.textContent || "";
  return { code: pick("Code"), text: pick("Message") || xhr.statusText || `HTTP ${xhr.status}` };
}

/**
 * Run `worker` over `items`, at most `limit` at a time. After a failure no new item starts,
 * but those in flight finish (so a retry need not send them again); then it rejects with the
 * first error, whose `all` lists every one.
 */
export async function pool(items, limit, worker) {
  let next = 0;
  const failures = [];
  const run = async () => {
    while (next < items.length && !failures.length) {
      try {
        await worker(items[next++]);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  if (failures.length) throw Object.assign(failures[0], { all: failures });
}

/** Wait `ms`; an abort of `signal` rejects at once (the timer's resolve then does nothing). */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => reject(new UploadError("aborted", "")), { once: true });
  });
}
