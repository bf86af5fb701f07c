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
 * {% s3file_multiple_upload %}; without it the page uploads as Wagtail does.
 * Events on #fileupload, as the core's: s3file:file-start, s3file:progress, s3file:file-done,
 * s3file:error.
 */
import { uploadFile } from "../../s3file/js/s3file.js";

const OPTION = "s3fileUpload"; // jQuery File Upload option marking its requests as ours
const policy = document.getElementById("wagtail-s3file-upload")?.content.querySelector("input");
let uploads = 0; // a running number: the `index` of the file-start events

function emit(type, detail) {
  const target = document.getElementById("fileupload") ?? document;
  target.dispatchEvent(new CustomEvent(`s3file:${type}`, { bubbles: true, detail }));
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
  return policy.dataset.s3fExtensionMessage.replaceAll("{extension}", extension);
}

function post(options, headers, body, signal) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.type, options.url);
    // What jQuery's own XHR transport would send.
    const all = { "X-Requested-With": "XMLHttpRequest", ...headers };
    for (const [name, value] of Object.entries(all)) xhr.setRequestHeader(name, value);
    xhr.addEventListener("load", () =>
      resolve([xhr.status, xhr.statusText, { text: xhr.responseText }, xhr.getAllResponseHeaders()]),
    );
    xhr.addEventListener("error", () => resolve([0, "error"]));
    xhr.addEventListener("abort", () => resolve([0, "abort"]));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Send the request's files to S3, then its fields and their keys to Wagtail. */
async function send(options, headers, signal) {
  const body = new FormData();
  const files = [];
  for (const [name, value] of options.data.entries()) {
    if (value instanceof File) files.push({ name, file: value });
    else body.append(name, value);
  }
  // jQuery File Upload listens to this XHR's upload progress; it never sends anything.
  const progress = options.xhr().upload;
  const total = files.reduce((sum, { file }) => sum + file.size, 0);
  let sent = 0;
  for (const { name, file } of files) {
    const problem = extensionProblem(file);
    if (problem) return refusal(problem);
    const index = uploads++;
    emit("file-start", { file, index });
    const onProgress = (loaded) => {
      const fraction = total ? (sent + loaded) / total : 1;
      progress.dispatchEvent(
        new ProgressEvent("progress", { lengthComputable: true, loaded: sent + loaded, total }),
      );
      emit("progress", {
        file, fileLoaded: loaded, fileTotal: file.size, loaded: sent + loaded, total, fraction,
      });
    };
    let key;
    let token; // the signed grant the key lies under (a resumed upload keeps its first page's)
    try {
      ({ key, token } = await uploadFile(policy, file, index, signal, onProgress));
    } catch (error) {
      if (error.code === "aborted") return [0, "abort"];
      emit("error", { file, code: error.code, reason: error.message, status: error.status });
      return refusal(error.message);
    }
    sent += file.size;
    emit("file-done", { file, key });
    if (!body.getAll("s3file").includes(name)) body.append("s3file", name);
    if (!body.getAll(`${name}-s3f-signature`).includes(token)) {
      body.append(`${name}-s3f-signature`, token);
    }
    body.append(name, key);
  }
  return post(options, headers, body, signal);
}

function transport(options) {
  const controller = new AbortController();
  return {
    send(headers, complete) {
      send(options, headers, controller.signal).then(
        (result) => complete(...result),
        (error) => complete(0, String(error)), // shown as Wagtail's "Server Error" in the row
      );
    },
    abort() {
      controller.abort();
    },
  };
}

const $ = window.jQuery;
if (policy && $?.fn?.fileupload) {
  $.ajaxTransport("+*", (options) => (options[OPTION] ? transport(options) : undefined));
  // Ready handlers run in order: Wagtail's add-multiple.js has set the uploader up by now.
  $(() => $("#fileupload").fileupload("option", OPTION, true));
}
