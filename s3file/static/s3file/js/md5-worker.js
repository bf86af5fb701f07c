/** Hashes one part of a large file at a time, off the page's main thread. */
import { md5 } from "./md5.js";

self.addEventListener("message", async ({ data: blob }) => {
  self.postMessage(md5(await blob.arrayBuffer()));
});
