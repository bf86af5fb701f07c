// A browser-like global scope for the scripts under test (imported first by every test file),
// and the fixtures they share: a direct-upload input and an XMLHttpRequest that answers itself.
import { GlobalRegistrator } from "@happy-dom/global-registrator";

GlobalRegistrator.register({ url: "http://localhost/page/" });

/** The data attributes S3FileInputMixin.upload_attrs() renders, for a field named `name`. */
export function directInput({ name = "file", accept = "", maxSize = 1000, form = true } = {}) {
  const input = Object.assign(document.createElement("input"), { type: "file", name, accept });
  input.id = `id_${name}`;
  Object.assign(input.dataset, {
    s3fUrl: "http://s3.test/bucket",
    s3fFields: JSON.stringify({ key: "tmp/s3file/abc/${filename}", policy: "p" }),
    s3fSignature: "signed-grant",
    s3fMaxSize: String(maxSize),
    s3fConcurrency: "2",
    s3fMessages: JSON.stringify({
      "too-large": "“{name}” is too large.",
      type: "“{name}” is not a file type this field accepts.",
      network: "“{name}” could not be uploaded.",
      expired: "This form has expired ({name}).",
      refused: "The storage server refused “{name}”: {reason}",
    }),
    s3fChecksum: "0",
    s3fMultipart: JSON.stringify({ threshold: 0 }),
    s3fTypes: "{}",
  });
  if (form) {
    const element = document.createElement("form");
    element.append(input);
    document.body.append(element);
  }
  return input;
}

/** Give `input` these files, as a user's choice would. */
export function choose(input, files) {
  Object.defineProperty(input, "files", { value: files, configurable: true });
}

/**
 * An XMLHttpRequest whose answer is `FakeXHR.answer(xhr, body)` ({status, text, progress}):
 * it reports upload progress of `progress` (bytes, as [loaded, total]) first. Every request
 * sent is kept in `FakeXHR.sent`.
 */
export class FakeXHR {
  static sent = [];
  static answer = () => ({ status: 204, text: "" });

  constructor() {
    this.upload = new EventTarget();
    this.events = new EventTarget();
    this.headers = {};
    this.status = 0;
    this.statusText = "";
    this.responseText = "";
  }

  open(method, url) {
    Object.assign(this, { method, url });
  }

  setRequestHeader(name, value) {
    this.headers[name] = value;
  }

  addEventListener(type, listener) {
    this.events.addEventListener(type, listener);
  }

  getAllResponseHeaders() {
    return "";
  }

  /** The answer's `headers` (names in lower case), as an XHR reads them. */
  getResponseHeader(name) {
    return this.responseHeaders?.[name.toLowerCase()] ?? null;
  }

  send(body) {
    FakeXHR.sent.push({ method: this.method, url: this.url, headers: this.headers, body });
    const { status, text = "", progress = [], headers = {} } = FakeXHR.answer(this, body);
    this.responseHeaders = headers;
    setTimeout(() => {
      for (const [loaded, total] of progress) {
        this.upload.dispatchEvent(
          new ProgressEvent("progress", { lengthComputable: true, loaded, total }),
        );
      }
      Object.assign(this, { status, statusText: String(status), responseText: text });
      this.events.dispatchEvent(new Event(status ? "load" : "error"));
      this.events.dispatchEvent(new Event("loadend"));
    });
  }

  abort() {
    this.events.dispatchEvent(new Event("abort"));
  }
}

globalThis.XMLHttpRequest = FakeXHR;
