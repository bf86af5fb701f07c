/**
 * django-s3file: when a form is submitted, upload the files of its direct-upload inputs
 * (<input type="file" data-s3f-url>) straight to S3, then submit the form with the S3 keys
 * in place of the bytes. Listeners sit on the window, so inputs added later work too.
 *
 * Events (CustomEvent, bubbling; see the README for every `detail`):
 *   s3file:start      on the form   uploads begin
 *   s3file:file-start on the input  one file's upload begins
 *   s3file:progress   on the input  bytes sent, for the file and the whole form
 *   s3file:retry      on the input  a part of a large file is sent again after a failure
 *   s3file:file-done  on the input  one file is in S3
 *   s3file:error      on the input  an upload failed or a file was refused; cancelable
 *   s3file:done       on the form   all files are in S3, the form is about to be submitted
 *   s3file:cancelled  on the form   uploads were stopped by an `s3file:cancel` event
 * Dispatch `s3file:cancel` on a form (or inside it) to stop its uploads.
 */
import { uploadMultipart } from "./multipart.js";
import { UploadError, pool, s3Error, send } from "./request.js";

export { UploadError };

const INPUT = "input[type=file][data-s3f-url]";
const CODES = new Set(["too-large", "type", "network", "expired", "aborted"]);
let uploaded = new WeakMap(); // input -> {files, keys, tokens}: see state()
const running = new WeakMap(); // form -> AbortController of its uploads in flight
const resubmitting = new WeakSet(); // forms inside our own requestSubmit()

function emit(target, type, detail, cancelable = false) {
  return target.dispatchEvent(
    new CustomEvent(`s3file:${type}`, { bubbles: true, cancelable, detail }),
  );
}

/** An UploadError with the sentence the server translated for `code`. */
function failure(input, code, name, reason = "", status = 0) {
  code = CODES.has(code) ? code : "refused";
  const texts = JSON.parse(input.dataset.s3fMessages || "{}");
  const text = texts[{ "too-large": "tooLarge", aborted: "network" }[code] || code];
  // Functions, so that "$&" in a file name stays as it is.
  const message = (text || texts.refused || "{name}: {reason}")
    .replaceAll("{name}", () => name)
    .replaceAll("{reason}", () => reason);
  return new UploadError(code, message, status);
}

/** The file's problem the browser can see before uploading, as an UploadError, or null. */
export function checkFile(input, file) {
  if (file.size > Number(input.dataset.s3fMaxSize || Infinity)) {
    return failure(input, "too-large", file.name);
  }
  const accept = input.accept.toLowerCase().split(",").map((s) => s.trim()).filter(Boolean);
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  const ok =
    !accept.length ||
    accept.some((item) =>
      item.startsWith(".")
        ? name.endsWith(item)
        : item === "*" || item === "*/*" || type === item ||
          (item.endsWith("/*") && type.startsWith(item.slice(0, -1))),
    );
  return ok ? null : failure(input, "type", file.name);
}

function showError(input, error) {
  const detail = { file: error.file, code: error.code, reason: error.message,
    status: error.status };
  if (!emit(input, "error", detail, true)) return; // the page shows it its own way
  const list = document.createElement("ul");
  list.className = "errorlist s3file-errors";
  list.setAttribute("role", "alert");
  list.dataset.s3fErrors = "";
  list.append(Object.assign(document.createElement("li"), { textContent: error.message }));
  input.after(list);
}

function clearErrors(input) {
  input.setCustomValidity("");
  const next = input.nextElementSibling;
  if (next?.matches("[data-s3f-errors]")) next.remove();
}

/** Names S3 and the middleware accept as they are: no path, no control characters. */
function safeName(name) {
  return name.replace(/[\x00-\x1f\x7f\\/]/g, "_").replace(/^\.{1,2}$/, "_") || "file";
}

async function sha1(file) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", await file.arrayBuffer()));
  return btoa(String.fromCharCode(...digest));
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
  const xhr = await send("POST", input.dataset.s3fUrl, body, { signal, onProgress });
  if (xhr.status >= 200 && xhr.status < 300) return;
  const { code, text } = s3Error(xhr);
  const expired = code === "AccessDenied" && /expired/i.test(text);
  const kind = code === "EntityTooLarge" ? "too-large" : expired ? "expired" : "refused";
  throw new UploadError(kind, text, xhr.status);
}

/** A subfolder of its own for each file: inputs cloned from one rendered input (admin
 * "Add another" rows) share a folder, and two files may share a name. */
function subfolder() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Upload one file of `input` as `<folder>/<random>/<name>`: one presigned POST, or in parts
 * above the multipart threshold. Resolve to {key, token}; reject with a UploadError whose
 * message is for the user. (`index` is the file's place in the input's selection.)
 */
export async function uploadFile(input, file, index, signal, onProgress, onRetry = () => {}) {
  const fields = JSON.parse(input.dataset.s3fFields);
  const key = fields.key.replace("${filename}", `${subfolder()}/${safeName(file.name)}`);
  const threshold = JSON.parse(input.dataset.s3fMultipart || "{}").threshold;
  try {
    if (threshold && file.size > threshold) {
      const type = contentType(input, file);
      return await uploadMultipart({
        input, file, key, contentType: type, signal, onProgress, onRetry,
      });
    }
    await postFile(input, file, key, signal, onProgress);
    return { key, token: input.dataset.s3fSignature };
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    throw failure(input, error.code, file.name, error.message, error.status);
  }
}

/** The input's selection and what of it is in S3 already (keys stay sparse until all are). */
function state(input) {
  let current = uploaded.get(input);
  if (current?.files !== input.files) {
    current = { files: input.files, keys: [], tokens: new Set() };
    uploaded.set(input, current);
  }
  return current;
}

async function uploadAll(form, inputs, submitter) {
  const controller = new AbortController();
  running.set(form, controller);
  form.setAttribute("aria-busy", "true");
  inputs.forEach(clearErrors);
  // Files already in S3 from an earlier, failed or resubmitted attempt are not sent again.
  const jobs = inputs.flatMap((input) =>
    [...input.files]
      .map((file, index) => ({ input, file, index }))
      .filter(({ index }) => state(input).keys[index] === undefined),
  );
  const total = jobs.reduce((sum, job) => sum + job.file.size, 0);
  const sent = new Map();
  let failed = null;
  try {
    // Let the submit event finish first: while it is being dispatched the browser ignores
    // requestSubmit(), and with nothing left to upload we would get there before it ends.
    await new Promise((resolve) => setTimeout(resolve));
    const refused = jobs
      .map(({ input, file }) => Object.assign(checkFile(input, file) ?? {}, { input, file }))
      .filter((error) => error instanceof UploadError);
    if (refused.length) throw Object.assign(refused[0], { all: refused });
    emit(form, "start", {
      files: jobs.map((job) => job.file),
      uploads: jobs.map(({ input, file }) => ({ input, file })),
      total,
      submitter,
    });
    await pool(jobs, Number(inputs[0].dataset.s3fConcurrency) || 4, async (job) => {
      const { input, file, index } = job;
      const progress = (bytes) => {
        sent.set(job, Math.min(bytes, file.size));
        const loaded = [...sent.values()].reduce((a, b) => a + b, 0);
        emit(input, "progress", {
          file, fileLoaded: sent.get(job), fileTotal: file.size,
          loaded, total, fraction: total ? loaded / total : 1,
        });
      };
      const retry = (detail) => emit(input, "retry", { file, ...detail });
      const selection = state(input);
      emit(input, "file-start", { file, index });
      try {
        const { key, token } = await uploadFile(
          input, file, index, controller.signal, progress, retry,
        );
        selection.keys[index] = key; // the selection it was chosen in, even if replaced since
        selection.tokens.add(token);
        progress(file.size);
        emit(input, "file-done", { file, key });
      } catch (error) {
        throw Object.assign(error, { input, file });
      }
    });
  } catch (error) {
    failed = error;
  } finally {
    running.delete(form);
    form.removeAttribute("aria-busy");
  }
  if (failed?.code === "aborted") {
    emit(form, "cancelled", {});
  } else if (failed) {
    // One error per input (the first of its files), for every input that failed.
    const byInput = new Map();
    for (const error of failed.all ?? [failed]) {
      if (error.code !== "aborted" && !byInput.has(error.input)) byInput.set(error.input, error);
    }
    for (const [input, error] of byInput) {
      if (error.code === "too-large" || error.code === "type") {
        input.setCustomValidity(error.message);
      }
      showError(input, error);
    }
  } else if (inputs.every((input) => state(input).keys.filter(Boolean).length ===
    input.files.length)) {
    emit(form, "done", { keys: inputs.flatMap((input) => state(input).keys) });
    submit(form, inputs, submitter);
  }
}

function hidden(form, name, value) {
  const input = Object.assign(document.createElement("input"), { type: "hidden", name, value });
  input.dataset.s3fHidden = "";
  form.append(input);
}

/**
 * Submit `form` with the keys instead of the files, as `submitter` would have. The file
 * inputs lose their names (a nameless input sends no bytes) and the keys stay in the form
 * until it is used again (see restore()), so a submit handler that reads the form later,
 * after an `await`, still finds keys, not files.
 */
function submit(form, inputs, submitter) {
  for (const input of inputs) {
    const { keys, tokens } = state(input);
    hidden(form, "s3file", input.name);
    for (const token of tokens) hidden(form, `${input.name}-s3f-signature`, token);
    for (const key of keys) hidden(form, input.name, key);
    input.dataset.s3fName = input.name;
    input.removeAttribute("name");
  }
  const button = submitter?.isConnected && submitter.form === form ? submitter : null;
  // Pages disable the clicked button while they wait (Wagtail's "Publish" does): a disabled
  // submitter would send no name, and "Publish" would become "Save draft".
  const disabled = button?.disabled;
  if (button) button.disabled = false;
  resubmitting.add(form);
  try {
    form.requestSubmit(button);
  } finally {
    resubmitting.delete(form);
    if (button) button.disabled = disabled;
  }
}

/** Put the form back as the user left it: the inputs named, the keys gone. */
function restore(form) {
  if (!form) return;
  for (const element of form.querySelectorAll("[data-s3f-hidden]")) element.remove();
  for (const input of form.querySelectorAll("input[data-s3f-name]")) {
    input.name = input.dataset.s3fName;
    delete input.dataset.s3fName;
  }
}

function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || resubmitting.has(form)) return;
  restore(form);
  const inputs = [...form.elements].filter(
    (element) => element.matches(INPUT) && !element.disabled && element.files.length,
  );
  if (!inputs.length && !running.has(form)) return;
  // Other submit handlers (AJAX forms, modals) must only see the submit that carries keys.
  event.preventDefault();
  event.stopImmediatePropagation();
  if (!running.has(form)) uploadAll(form, inputs, event.submitter);
}

function onChange(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.matches(INPUT)) return;
  restore(input.form);
  running.get(input.form)?.abort(); // the uploads in flight are of the old selection
  uploaded.delete(input);
  clearErrors(input);
  for (const file of input.files) {
    const error = checkFile(input, file);
    if (error) {
      input.setCustomValidity(error.message);
      showError(input, Object.assign(error, { file }));
      break;
    }
  }
}

function onCancel(event) {
  const form = event.target.closest?.("form") ?? event.target.form;
  running.get(form)?.abort();
}

// The same script under a second URL (a cache-busting query, say) must not listen twice.
const LISTENING = Symbol.for("s3file.listening");
if (!window[LISTENING]) {
  window[LISTENING] = true;
  window.addEventListener("submit", onSubmit, true);
  window.addEventListener("change", onChange, true);
  window.addEventListener("s3file:cancel", onCancel, true);
  // A page restored from the back/forward cache may hold keys whose objects were moved since.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    uploaded = new WeakMap();
    for (const form of document.forms) restore(form);
  });
}
