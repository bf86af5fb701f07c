/**
 * Wagtail's "Add images" and "Add documents" pages, uploading straight to S3.
 *
 * Their uploader (jQuery File Upload, Wagtail's add-multiple.js) posts each file to Wagtail's
 * `add_multiple` view and shows the JSON answer. This module gives those requests a jQuery
 * transport that first sends the file to S3, reporting its progress to Wagtail's own bars,
 * then posts the same form with the S3 key (and its signed folder) in place of the bytes.
 * S3FileMiddleware turns the key back into `request.FILES`, so the view answers as always:
 * validation before, the edit form, the duplicate warning and errors after are Wagtail's.
 *
 * The upload policy comes from <template id="wagtail-s3file-upload">, rendered by
 * {% s3file_multiple_upload %}; without it the page uploads as Wagtail does. With it but
 * without the jQuery plugin (a Wagtail that dropped it), the page says so and uploads nothing:
 * never through Django behind the user's back.
 * Events on #fileupload, as the core's: s3file:file-start, s3file:progress, s3file:file-done,
 * s3file:error.
 *
 * Accessibility: the bars this module drives (Wagtail's, which set `aria-valuenow` on a plain
 * <div>) get role="progressbar" and a name (the file's, "Upload progress" for the overall
 * one), and a visually hidden live region, in the page from the start, says when each file
 * starts, how far it is (every few seconds) and how it ends. The rest of the rows (the edit
 * forms, Wagtail's own messages) is Wagtail's.
 */
import { Announcer } from "../../s3file/js/announce.js";
import { Progress, emit, fill } from "../../s3file/js/events.js";
import { send } from "../../s3file/js/request.js";
import { uploadFile } from "../../s3file/js/upload.js";

const OPTION = "s3fileUpload"; // jQuery File Upload option marking its requests as ours
const template = document.getElementById("wagtail-s3file-upload");
const policy = template?.content.querySelector("input");
let uploads = 0; // a running number: the `index` of the file-start events
const strings = JSON.parse(policy?.dataset.s3fWagtail || "{}");
let announcer = null; // the page's live region, made when the uploader is hooked

/** A bar Wagtail draws and this module fills, as a named progressbar (0 to 100). */
function progressbar(element, name) {
  if (!element) return;
  element.setAttribute("role", "progressbar");
  element.setAttribute("aria-valuemin", "0");
  element.setAttribute("aria-valuemax", "100");
  element.setAttribute("aria-valuenow", element.getAttribute("aria-valuenow") || "0");
  element.setAttribute("aria-label", name);
  element.dataset.s3fAria = ""; // the ARIA is ours, the rest Wagtail's
}

function liveRegion() {
  const region = Object.assign(document.createElement("p"), {
    className: "w-sr-only", id: "wagtail-s3file-status",
  });
  region.setAttribute("role", "status");
  (document.querySelector("main") ?? document.body).append(region);
  return new Announcer(region);
}

function say(key, values, asProgress = false) {
  const text = fill(strings[key], values);
  if (asProgress) announcer?.progress(text);
  else announcer?.say(text);
}

function escapeHtml(text) {
  const element = document.createElement("span");
  element.textContent = text;
  return element.innerHTML;
}

/** The answer Wagtail's view gives for a file it refuses; the page shows it in the file's row. */
function refusal(message) {
  // Wagtail inserts error_message as HTML, and the message may hold the file's name.
  const text = JSON.stringify({ success: false, error_message: escapeHtml(message) });
  return [200, "OK", { text }];
}

/** Wagtail's message for a document whose extension WAGTAILDOCS_EXTENSIONS refuses, or null. */
function extensionProblem(file) {
  const allowed = policy.dataset.s3fExtensions?.split(" ");
  if (!allowed) return null;
  const dot = file.name.lastIndexOf("."); // as Python's Path.suffix, which Django uses
  const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : "";
  if (allowed.includes(extension)) return null;
  return fill(policy.dataset.s3fExtensionMessage, { extension });
}

/** Post the form, keys in place of files, to Wagtail's view, as jQuery's XHR would. */
async function post(options, headers, body, signal) {
  try {
    const xhr = await send(options.type, options.url, body, {
      signal, headers: { "X-Requested-With": "XMLHttpRequest", ...headers }, stall: 0,
    });
    return [xhr.status, xhr.statusText, { text: xhr.responseText }, xhr.getAllResponseHeaders()];
  } catch (error) {
    return [0, error.code === "aborted" ? "abort" : "error"];
  }
}

/** Send the request's files to S3, then its fields and their keys to Wagtail. */
async function transfer(options, headers, signal) {
  const target = document.getElementById("fileupload") ?? document;
  const body = new FormData();
  const files = [];
  for (const [name, value] of options.data.entries()) {
    if (value instanceof File) files.push({ name, file: value });
    else body.append(name, value);
  }
  // jQuery File Upload listens to this XHR's upload progress; it never sends anything.
  const xhrUpload = options.xhr().upload;
  const progress = new Progress(files);
  // The row jQuery File Upload made for these files (its `context`), whose bar this fills.
  const row = options.context?.[0];
  for (const item of files) {
    const { name, file } = item;
    const problem = extensionProblem(file);
    if (problem) return refusal(problem);
    progressbar(row?.querySelector(".progress"), file.name);
    emit(target, "file-start", { file, index: uploads++ });
    say("uploading", { name: file.name });
    // The file's bytes only, capped at its size: S3's POST body also holds the policy.
    const onProgress = (bytes) => {
      const detail = progress.update(item, bytes);
      const { loaded, total } = detail;
      xhrUpload.dispatchEvent(
        new ProgressEvent("progress", { lengthComputable: true, loaded, total }),
      );
      emit(target, "progress", detail);
      const percent = `${Math.floor(detail.fraction * 100)}%`;
      say("progress", { name: file.name, percent }, true);
    };
    let key;
    let token; // the signed grant the key lies under (a resumed upload keeps its first page's)
    let sha1; // of a file sent in parts: Wagtail's file_hash, so Django reads no byte of it
    try {
      ({ key, token, sha1 } = await uploadFile(policy, file, signal, onProgress));
    } catch (error) {
      if (error.code === "aborted") return [0, "abort"];
      const { code, message: reason, status } = error;
      emit(target, "error", { file, code, reason, status });
      say("failed", { name: file.name });
      return refusal(error.message);
    }
    progress.update(item, file.size);
    emit(target, "file-done", { file, key });
    say("done", { name: file.name });
    if (!body.getAll("s3file").includes(name)) body.append("s3file", name);
    if (!body.getAll(`${name}-s3f-signature`).includes(token)) {
      body.append(`${name}-s3f-signature`, token);
    }
    body.append(name, key);
    if (sha1) body.append(`${name}-s3f-sha1`, `${sha1}:${key}`);
  }
  return post(options, headers, body, signal);
}

function transport(options) {
  const controller = new AbortController();
  return {
    send(headers, complete) {
      transfer(options, headers, controller.signal).then(
        (result) => complete(...result),
        (error) => complete(0, String(error)), // shown as Wagtail's "Server Error" in the row
      );
    },
    abort() {
      controller.abort();
    },
  };
}

/** Wagtail's uploader is not there to hook: say so, and let nothing upload through Django. */
function unavailable() {
  console.error(
    "wagtail_s3file: Wagtail's jQuery File Upload plugin ($.fn.fileupload) is missing, " +
      "so this page cannot upload to S3; its uploads are switched off.",
  );
  const input = document.getElementById("fileupload");
  if (input) input.disabled = true;
  const message = template.content.querySelector("[role=alert]").cloneNode(true);
  (input?.closest("form") ?? document.querySelector("main") ?? document.body).prepend(message);
}

const $ = window.jQuery;
if (policy && $?.fn?.fileupload) {
  $.ajaxTransport("+*", (options) => (options[OPTION] ? transport(options) : undefined));
  announcer = liveRegion();
  progressbar(document.getElementById("overall-progress"), strings.bar || "");
  // Ready handlers run in order: Wagtail's add-multiple.js has set the uploader up by now.
  $(() => $("#fileupload").fileupload("option", OPTION, true));
} else if (policy) {
  unavailable();
}
