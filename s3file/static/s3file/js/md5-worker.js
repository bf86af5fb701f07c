/** Hashes the parts of a large file it is sent, off the page's main thread. */
import { md5 } from "./md5.js";

self.addEventListener("message", async ({ data: { id, blob } }) => {
  self.postMessage({ id, digest: md5(await blob.arrayBuffer()) });
});
