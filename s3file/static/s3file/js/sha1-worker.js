/** Hashes a whole file (SHA-1) off the page's main thread: one message, one answer. */
import { sha1Blob } from "./sha1.js";

self.addEventListener("message", async ({ data: { blob } }) => {
  // No digest when the file cannot be read: it changed or went since it was chosen.
  const digest = await sha1Blob(blob).catch(() => "");
  self.postMessage({ digest });
});
