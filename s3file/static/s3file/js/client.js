/**
 * django-s3file's upload client for pages Django did not render a form for (single-page
 * apps, any framework or none): `upload(file, options)` asks the site's grant endpoint for an
 * upload of `file` into an API field, uploads it straight to storage, and resolves to the
 * value to send as that field's value to the site's API:
 *
 *   import { upload } from "/static/s3file/js/client.js";
 *   const value = await upload(input.files[0], {
 *     field: "library.Document.file", headers: { Authorization: `Token ${token}` },
 *     onProgress: ({ fraction }) => (bar.value = fraction),
 *   });
 *   await fetch("/api/documents/", { method: "POST", headers: {...}, body: JSON.stringify({ file: value }) });
 *
 * The upload itself is the form script's (upload.js, multipart.js): one presigned POST, or
 * parts in parallel with retries, MD5 checks and resume after a reload; the same s3file:*
 * events (file-start, progress, retry, file-done, error) on `options.target`. No side effects.
 */
import { Progress, emit } from "./events.js";
import { UploadError, send } from "./request.js";
import { checkFile, uploadFile } from "./upload.js";

export { UploadError };

/** Where the grant endpoint is unless told: `S3FILE_ENDPOINT_PATH`'s default. */
export const GRANT_URL = "/__s3file__/grant/";

/**
 * Ask the grant endpoint for an upload of `file` into API field `field`: resolve to its
 * policy, reject with an UploadError whose code is the endpoint's (forbidden, field,
 * too-large, type, ...) and whose message is its sentence.
 */
export async function requestGrant(file, { field, url = GRANT_URL, headers = {}, signal } = {}) {
  const body = JSON.stringify({ field, name: file.name, size: file.size, type: file.type });
  const xhr = await send("POST", url, body, {
    signal, headers: { ...headers, "Content-Type": "application/json" }, stall: 0,
  });
  const json = xhr.getResponseHeader("Content-Type")?.startsWith("application/json");
  const data = json ? JSON.parse(xhr.responseText) : {};
  if (xhr.status >= 200 && xhr.status < 300) return data;
  throw new UploadError(data.code || "refused", data.error || xhr.statusText, xhr.status);
}

/**
 * A grant as the upload functions read a rendered input: its data attributes. `headers` go
 * with the multipart API's requests (to the site, never to storage).
 */
export function policyOf(grant, headers = {}) {
  return {
    name: grant.field,
    accept: grant.accept || "",
    dataset: {
      s3fUrl: grant.url,
      s3fFields: JSON.stringify(grant.fields),
      s3fSignature: grant.token,
      s3fMaxSize: String(grant.maxSize),
      s3fMessages: JSON.stringify(grant.messages || {}),
      s3fChecksum: String(grant.checksum || 0),
      s3fMultipart: JSON.stringify({ ...grant.multipart, headers }),
      s3fTypes: JSON.stringify(grant.types || {}),
    },
  };
}

/**
 * Upload `file` for API field `options.field`; resolve to the value to send (`<token>/<key>`).
 *
 * Options: `field` (required), `url` (the grant endpoint, default GRANT_URL), `headers` (for
 * the site's endpoints: `Authorization`, or `X-CSRFToken` with a session), `signal` (an
 * AbortSignal: cancels, and frees a multipart upload's parts), `onProgress(detail)` (the
 * s3file:progress detail), `onRetry(detail)`, `target` (where the s3file:* events go; the
 * document by default, none if null).
 * Reject with an UploadError: `code` is too-large, type, network, expired, aborted, refused,
 * or the grant endpoint's; `message` a sentence for the user.
 */
export async function upload(file, options = {}) {
  const { headers = {}, signal, onProgress = () => {}, onRetry = () => {} } = options;
  const target = options.target === undefined ? globalThis.document : options.target;
  const dispatch = (type, detail, cancelable) =>
    target ? emit(target, type, detail, cancelable) : true;
  const item = { file };
  const progress = new Progress([item]);
  try {
    const grant = await requestGrant(file, options);
    const policy = policyOf(grant, headers);
    const problem = checkFile(policy, file);
    if (problem) throw problem;
    dispatch("file-start", { file, index: 0 });
    const { key, token } = await uploadFile(
      policy, file, signal,
      (bytes) => {
        const detail = progress.update(item, bytes);
        dispatch("progress", detail);
        onProgress(detail);
      },
      (detail) => {
        dispatch("retry", { file, ...detail });
        onRetry({ file, ...detail });
      },
    );
    dispatch("file-done", { file, key });
    return `${token}/${key}`;
  } catch (error) {
    if (error instanceof UploadError && error.code !== "aborted") {
      const { code, message: reason, status } = error;
      dispatch("error", { file, code, reason, status }, true);
    }
    throw error;
  }
}
