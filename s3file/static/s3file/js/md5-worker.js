/** Hashes the parts of a large file it is sent, off the page's main thread. */
import { md5 } from "./md5.js";

self.addEventListener("message", async ({ data: { id, blob } }) => {
  // No digest when the file cannot be read: it changed or went since it was chosen.
  const digest = await blob.arrayBuffer().then(md5, () => undefined);
  self.postMessage({ id, digest });
});
