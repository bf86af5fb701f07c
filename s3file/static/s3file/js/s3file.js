/**
 * django-s3file: when a form is submitted, upload the files of its direct-upload inputs
 * (<input type="file" data-s3f-url>) straight to S3, then submit the form with the S3 keys
 * in place of the bytes. Listeners sit on the window, so inputs added later work too.
 *
 * This is the only module with side effects; Django loads it under its one static URL (the
 * inputs' media and the Wagtail hook ask for the same), and nothing imports it.
 *
 * Events (CustomEvent, bubbling; see docs/events.md for every `detail`):
 *   s3file:select     on the input  files were chosen and checked (before their s3file:error)
 *   s3file:start      on the form   uploads begin
 *   s3file:file-start on the input  one file's upload begins
 *   s3file:progress   on the input  bytes sent, for the file and the whole form
 *   s3file:retry      on the input  a part of a large file is sent again after a failure
 *   s3file:file-done  on the input  one file is in S3
 *   s3file:error      on the input  an upload failed or a file was refused; cancelable
 *   s3file:done       on the form   all files are in S3, the form is about to be submitted
 *   s3file:cancelled  on the form   uploads were stopped by an `s3file:cancel` event
 *   s3file:kept       on the input  the form is submitted with the input's kept upload (the
 *                                   file of a form rendered again), posted without a byte sent
 *   s3file:kept-removed on the input  the user removed or replaced the kept upload
 *   progress          on the form and the input, not bubbling: django-s3file 7.x's event
 * Dispatch `s3file:cancel` on a form (or inside it) to stop its uploads.
 */
import { Progress, emit, legacyProgress } from "./events.js";
import { isKept, keptBlock, keptFiles, keptInput, nameKept, removeKept } from "./kept.js";
import { pool } from "./request.js";
import { UploadError, checkFile, uploadFile } from "./upload.js";

const INPUT = "input[type=file][data-s3f-url]";
let uploaded = new WeakMap(); // input -> {files, keys, tokens, sha1s}: see state()
const running = new WeakMap(); // form -> AbortController of its uploads in flight
const resubmitting = new WeakSet(); // forms inside our own requestSubmit()

/** The files of `jobs` ({input, file}) the browser refuses before uploading, as UploadErrors. */
function refusals(jobs) {
  return jobs.map(({ input, file }) => Object.assign(checkFile(input, file) ?? {}, { input, file }))
    .filter((error) => error instanceof UploadError);
}

function showError(input, error) {
  const { file, code, message: reason, status } = error;
  if (!emit(input, "error", { file, code, reason, status }, true)) return; // shown its own way
  // The alert is a wrapper: on the list itself, role="alert" would hide that it is a list.
  const box = Object.assign(document.createElement("div"), { className: "s3file-errors" });
  box.setAttribute("role", "alert");
  box.dataset.s3fErrors = "";
  const list = Object.assign(document.createElement("ul"), { className: "errorlist" });
  list.append(Object.assign(document.createElement("li"), { textContent: error.message }));
  box.append(list);
  input.after(box);
}

function clearErrors(input) {
  input.setCustomValidity("");
  const next = input.nextElementSibling;
  if (next?.matches("[data-s3f-errors]")) next.remove();
}

/**
 * The input's selection and what of it is in S3 already (keys stay sparse until all are);
 * `sha1s`: by index as `keys`, the SHA-1 of a file sent in parts, to post with its key.
 */
function state(input) {
  let current = uploaded.get(input);
  if (current?.files !== input.files) {
    current = { files: input.files, keys: [], tokens: new Set(), sha1s: [] };
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
  const progress = new Progress(jobs);
  let failed = null;
  try {
    // Let the submit event finish first: while it is being dispatched the browser ignores
    // requestSubmit(), and with nothing left to upload we would get there before it ends.
    await new Promise((resolve) => setTimeout(resolve));
    const refused = refusals(jobs);
    if (refused.length) throw Object.assign(refused[0], { all: refused });
    const files = jobs.map((job) => job.file);
    const uploads = jobs.map(({ input, file }) => ({ input, file }));
    emit(form, "start", { files, uploads, total: progress.sum().total, submitter });
    await pool(jobs, Number(inputs[0].dataset.s3fConcurrency) || 4, async (job) => {
      const { input, file, index } = job;
      const onProgress = (bytes) => {
        const detail = progress.update(job, bytes);
        emit(input, "progress", detail);
        legacyProgress(form, input, detail, progress.sum((other) => other.input === input));
      };
      const retry = (detail) => emit(input, "retry", { file, ...detail });
      const selection = state(input);
      emit(input, "file-start", { file, index });
      const { key, token, sha1 } = await uploadFile(input, file, controller.signal, onProgress,
        retry).catch((error) => Promise.reject(Object.assign(error, { input, file })));
      selection.keys[index] = key; // the selection it was chosen in, even if replaced since
      selection.sha1s[index] = sha1;
      selection.tokens.add(token);
      onProgress(file.size);
      emit(input, "file-done", { file, key });
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
    const { keys, tokens, sha1s } = state(input);
    hidden(form, "s3file", input.name);
    for (const token of tokens) hidden(form, `${input.name}-s3f-signature`, token);
    keys.forEach((key, index) => {
      hidden(form, input.name, key);
      // Saved without reading the file again (Wagtail's file_hash): see upload.js.
      if (sha1s[index]) hidden(form, `${input.name}-s3f-sha1`, `${sha1s[index]}:${key}`);
    });
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
  const direct = [...form.elements].filter((el) => el.matches(INPUT) && !el.disabled);
  for (const input of direct.filter(isKept)) {
    nameKept(input);
    emit(input, "kept", { files: keptFiles(keptBlock(input)) });
  }
  const inputs = direct.filter((input) => input.files.length);
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
  if (input.files.length) removeKept(input, true);
  const files = [...input.files];
  const [error] = refusals(files.map((file) => ({ input, file })));
  if (error) input.setCustomValidity(error.message);
  // Integrations clear what they showed for the last choice here: before the new error.
  emit(input, "select", { files, valid: !error });
  if (error) showError(input, error);
}

/** The "Replace" and "Remove" buttons of a kept upload. */
function onClick(event) {
  const button = event.target.closest?.("[data-s3f-kept-action]");
  const input = button && keptInput(button.closest("[data-s3f-kept-for]"));
  if (!input) return;
  if (button.dataset.s3fKeptAction === "replace") {
    input.click(); // the file chooser; a choice replaces the kept file (onChange)
  } else {
    removeKept(input);
    input.focus();
  }
}

function onCancel(event) {
  const form = event.target.closest?.("form") ?? event.target.form;
  running.get(form)?.abort();
}

window.addEventListener("submit", onSubmit, true);
window.addEventListener("change", onChange, true);
window.addEventListener("s3file:cancel", onCancel, true);
window.addEventListener("click", onClick);
// A page restored from the back/forward cache may hold keys whose objects were moved since.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  uploaded = new WeakMap();
  for (const form of document.forms) restore(form);
});
