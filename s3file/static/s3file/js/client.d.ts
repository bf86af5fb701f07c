// Types of client.js: django-s3file's upload client for single-page apps.

/** Why an upload failed; `message` is a sentence for the user. */
export class UploadError extends Error {
  constructor(code: string, reason: string, status?: number);
  /** too-large | type | network | expired | aborted | refused, or the grant endpoint's code
   * (forbidden, field, malformed, ...). */
  code: string;
  /** The HTTP status, 0 when nothing answered. */
  status: number;
}

/** The detail of an s3file:progress event (one file: its figures and the totals agree). */
export interface ProgressDetail {
  file: File;
  fileLoaded: number;
  fileTotal: number;
  loaded: number;
  total: number;
  /** From 0 to 1. */
  fraction: number;
}

/** The detail of an s3file:retry event: a part sent again. */
export interface RetryDetail {
  file: File;
  part: number;
  attempt: number;
  /** Milliseconds before the part is sent again. */
  delay: number;
  reason: string;
}

/** What the grant endpoint answers: a rendered input's upload policy, as JSON. */
export interface Grant {
  field: string;
  url: string;
  fields: Record<string, string>;
  token: string;
  maxSize: number;
  accept: string;
  concurrency: number;
  checksum: number;
  messages: Record<string, string>;
  multipart: { url: string; threshold: number; concurrency: number; retries: number };
  types: Record<string, string>;
}

export interface GrantOptions {
  /** The API field: "app_label.Model.field", or a name the project registered. */
  field: string;
  /** The grant endpoint; GRANT_URL by default. */
  url?: string;
  /** Headers for the site's endpoints (Authorization, X-CSRFToken), never sent to storage. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface UploadOptions extends GrantOptions {
  onProgress?: (detail: ProgressDetail) => void;
  onRetry?: (detail: RetryDetail) => void;
  /** Where the s3file:* events go: the document by default, none if null. */
  target?: EventTarget | null;
}

export const GRANT_URL: string;

/** Ask the grant endpoint for an upload of `file`. */
export function requestGrant(file: File, options: GrantOptions): Promise<Grant>;

/** A grant as the upload functions read a rendered input. */
export function policyOf(
  grant: Grant,
  headers?: Record<string, string>,
): { name: string; accept: string; dataset: Record<string, string> };

/** Upload `file`; resolve to the value to send as the API field's value ("<token>/<key>"). */
export function upload(file: File, options: UploadOptions): Promise<string>;
