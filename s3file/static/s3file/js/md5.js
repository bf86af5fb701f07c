/**
 * MD5 of an ArrayBuffer, as the base64 S3 expects in a Content-MD5 header. Web Crypto has no
 * MD5, and Content-MD5 is the part checksum S3 verifies without it being signed into the URL.
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function block(state, words, offset) {
  let [a, b, c, d] = state;
  for (let i = 0; i < 64; i++) {
    let f;
    let g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const x = (a + f + K[i] + words[offset + g]) | 0;
    const s = SHIFTS[((i >> 4) << 2) | (i & 3)];
    a = d;
    d = c;
    c = b;
    b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

function words(bytes) {
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Int32Array.from({ length: bytes.length >> 2 }, (_, i) => view.getInt32(i * 4, true));
}

/** @param {ArrayBuffer} buffer @returns {string} base64 of the 16-byte digest */
export function md5(buffer) {
  const bytes = new Uint8Array(buffer);
  const state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  const whole = bytes.length - (bytes.length % 64);
  const body = words(bytes.subarray(0, whole));
  for (let offset = 0; offset < body.length; offset += 16) block(state, body, offset);
  // The tail, the 0x80 marker, zeros and the length in bits: one or two more blocks.
  const tail = new Uint8Array(bytes.length % 64 < 56 ? 64 : 128);
  tail.set(bytes.subarray(whole));
  tail[bytes.length % 64] = 0x80;
  const bits = new DataView(tail.buffer, tail.length - 8);
  bits.setUint32(0, (bytes.length * 8) % 2 ** 32, true);
  bits.setUint32(4, Math.floor((bytes.length * 8) / 2 ** 32), true);
  const last = words(tail);
  for (let offset = 0; offset < last.length; offset += 16) block(state, last, offset);
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  state.forEach((word, i) => out.setInt32(i * 4, word, true));
  return btoa(String.fromCharCode(...digest));
}
