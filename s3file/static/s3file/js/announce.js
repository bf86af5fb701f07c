/**
 * What a screen reader hears of an upload, through a live region that is in the page (empty)
 * before the upload starts: a region added with its first words is often not announced.
 * Each moment (start, a file done, completion, failure, cancellation) is said once; progress
 * at most every `interval` milliseconds, so the reader is not talking the whole upload long.
 * No side effects: importing this module listens to nothing.
 */

/** Progress is said at most this often (milliseconds). */
export const PROGRESS_INTERVAL = 5000;

export class Announcer {
  /** `region` is the live element (role="status"); `now` the clock, in milliseconds. */
  constructor(region, { interval = PROGRESS_INTERVAL, now = () => Date.now() } = {}) {
    this.region = region;
    this.interval = interval;
    this.now = now;
    this.last = -Infinity;
  }

  /**
   * Say `text` now; false if the region says it already (setting the same words again would
   * have them read twice). The next progress waits a full interval after it.
   */
  say(text) {
    this.last = this.now();
    if (this.region.textContent === text) return false;
    this.region.textContent = text;
    return true;
  }

  /** Say `text` if the last words are at least an interval old; false if it was not said. */
  progress(text) {
    if (this.now() - this.last < this.interval) return false;
    return this.say(text);
  }

  /** Empty the region (the page was restored), so the next words are new again. */
  clear() {
    this.last = -Infinity;
    this.region.textContent = "";
  }
}
