/**
 * SHA-1, fed a file's bytes in pieces: Web Crypto hashes only a whole buffer at once, and a
 * large file must not be read into memory whole. Wagtail keeps each document's and image's
 * SHA-1 (`file_hash`); the browser hashes a file it uploads in parts while the parts travel
 * (S3 can verify no whole-file SHA-1 of a multipart upload), so the server need not read it.
 */

/**
 * Hash the 64 bytes of `view` at `offset` into `state`. The 80 rounds are written out, the
 * five words taking turns by name and the schedule kept in 16 variables: loops over arrays
 * ran at half the speed in V8 (as MD5's did, see md5.js). The constants 0x8f1bbcdc and
 * 0xca62c1d6 are subtracted as their 32-bit negatives, as md5.js writes its own.
 */
function block(state, view, offset) {
  let x;
  let w0 = view.getInt32(offset + 0);
  let w1 = view.getInt32(offset + 4);
  let w2 = view.getInt32(offset + 8);
  let w3 = view.getInt32(offset + 12);
  let w4 = view.getInt32(offset + 16);
  let w5 = view.getInt32(offset + 20);
  let w6 = view.getInt32(offset + 24);
  let w7 = view.getInt32(offset + 28);
  let w8 = view.getInt32(offset + 32);
  let w9 = view.getInt32(offset + 36);
  let w10 = view.getInt32(offset + 40);
  let w11 = view.getInt32(offset + 44);
  let w12 = view.getInt32(offset + 48);
  let w13 = view.getInt32(offset + 52);
  let w14 = view.getInt32(offset + 56);
  let w15 = view.getInt32(offset + 60);
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w0 + 0x5a827999 | 0; b = (b << 30) | (b >>> 2);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w1 + 0x5a827999 | 0; a = (a << 30) | (a >>> 2);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w2 + 0x5a827999 | 0; e = (e << 30) | (e >>> 2);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w3 + 0x5a827999 | 0; d = (d << 30) | (d >>> 2);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w4 + 0x5a827999 | 0; c = (c << 30) | (c >>> 2);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w5 + 0x5a827999 | 0; b = (b << 30) | (b >>> 2);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w6 + 0x5a827999 | 0; a = (a << 30) | (a >>> 2);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w7 + 0x5a827999 | 0; e = (e << 30) | (e >>> 2);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w8 + 0x5a827999 | 0; d = (d << 30) | (d >>> 2);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w9 + 0x5a827999 | 0; c = (c << 30) | (c >>> 2);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w10 + 0x5a827999 | 0; b = (b << 30) | (b >>> 2);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w11 + 0x5a827999 | 0; a = (a << 30) | (a >>> 2);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w12 + 0x5a827999 | 0; e = (e << 30) | (e >>> 2);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w13 + 0x5a827999 | 0; d = (d << 30) | (d >>> 2);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w14 + 0x5a827999 | 0; c = (c << 30) | (c >>> 2);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w15 + 0x5a827999 | 0; b = (b << 30) | (b >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w0 + 0x5a827999 | 0; a = (a << 30) | (a >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w1 + 0x5a827999 | 0; e = (e << 30) | (e >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w2 + 0x5a827999 | 0; d = (d << 30) | (d >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w3 + 0x5a827999 | 0; c = (c << 30) | (c >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w4 + 0x6ed9eba1 | 0; b = (b << 30) | (b >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w5 + 0x6ed9eba1 | 0; a = (a << 30) | (a >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w6 + 0x6ed9eba1 | 0; e = (e << 30) | (e >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w7 + 0x6ed9eba1 | 0; d = (d << 30) | (d >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w8 + 0x6ed9eba1 | 0; c = (c << 30) | (c >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w9 + 0x6ed9eba1 | 0; b = (b << 30) | (b >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w10 + 0x6ed9eba1 | 0; a = (a << 30) | (a >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w11 + 0x6ed9eba1 | 0; e = (e << 30) | (e >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w12 + 0x6ed9eba1 | 0; d = (d << 30) | (d >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w13 + 0x6ed9eba1 | 0; c = (c << 30) | (c >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w14 + 0x6ed9eba1 | 0; b = (b << 30) | (b >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w15 + 0x6ed9eba1 | 0; a = (a << 30) | (a >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w0 + 0x6ed9eba1 | 0; e = (e << 30) | (e >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w1 + 0x6ed9eba1 | 0; d = (d << 30) | (d >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w2 + 0x6ed9eba1 | 0; c = (c << 30) | (c >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w3 + 0x6ed9eba1 | 0; b = (b << 30) | (b >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w4 + 0x6ed9eba1 | 0; a = (a << 30) | (a >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w5 + 0x6ed9eba1 | 0; e = (e << 30) | (e >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w6 + 0x6ed9eba1 | 0; d = (d << 30) | (d >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w7 + 0x6ed9eba1 | 0; c = (c << 30) | (c >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w8 - 0x70e44324 | 0; b = (b << 30) | (b >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w9 - 0x70e44324 | 0; a = (a << 30) | (a >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w10 - 0x70e44324 | 0; e = (e << 30) | (e >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w11 - 0x70e44324 | 0; d = (d << 30) | (d >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w12 - 0x70e44324 | 0; c = (c << 30) | (c >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w13 - 0x70e44324 | 0; b = (b << 30) | (b >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w14 - 0x70e44324 | 0; a = (a << 30) | (a >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w15 - 0x70e44324 | 0; e = (e << 30) | (e >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w0 - 0x70e44324 | 0; d = (d << 30) | (d >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w1 - 0x70e44324 | 0; c = (c << 30) | (c >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w2 - 0x70e44324 | 0; b = (b << 30) | (b >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w3 - 0x70e44324 | 0; a = (a << 30) | (a >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w4 - 0x70e44324 | 0; e = (e << 30) | (e >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w5 - 0x70e44324 | 0; d = (d << 30) | (d >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w6 - 0x70e44324 | 0; c = (c << 30) | (c >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w7 - 0x70e44324 | 0; b = (b << 30) | (b >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w8 - 0x70e44324 | 0; a = (a << 30) | (a >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w9 - 0x70e44324 | 0; e = (e << 30) | (e >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w10 - 0x70e44324 | 0; d = (d << 30) | (d >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w11 - 0x70e44324 | 0; c = (c << 30) | (c >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w12 - 0x359d3e2a | 0; b = (b << 30) | (b >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w13 - 0x359d3e2a | 0; a = (a << 30) | (a >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w14 - 0x359d3e2a | 0; e = (e << 30) | (e >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w15 - 0x359d3e2a | 0; d = (d << 30) | (d >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w0 - 0x359d3e2a | 0; c = (c << 30) | (c >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w1 - 0x359d3e2a | 0; b = (b << 30) | (b >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w2 - 0x359d3e2a | 0; a = (a << 30) | (a >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w3 - 0x359d3e2a | 0; e = (e << 30) | (e >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w4 - 0x359d3e2a | 0; d = (d << 30) | (d >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w5 - 0x359d3e2a | 0; c = (c << 30) | (c >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w6 - 0x359d3e2a | 0; b = (b << 30) | (b >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w7 - 0x359d3e2a | 0; a = (a << 30) | (a >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w8 - 0x359d3e2a | 0; e = (e << 30) | (e >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w9 - 0x359d3e2a | 0; d = (d << 30) | (d >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w10 - 0x359d3e2a | 0; c = (c << 30) | (c >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31);
  e = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w11 - 0x359d3e2a | 0; b = (b << 30) | (b >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31);
  d = ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w12 - 0x359d3e2a | 0; a = (a << 30) | (a >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31);
  c = ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w13 - 0x359d3e2a | 0; e = (e << 30) | (e >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31);
  b = ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w14 - 0x359d3e2a | 0; d = (d << 30) | (d >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31);
  a = ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w15 - 0x359d3e2a | 0; c = (c << 30) | (c >>> 2);
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
}

/** The SHA-1 state of the bytes `update()` was given so far. */
export class Sha1 {
  constructor() {
    this.state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476,
      0xc3d2e1f0 | 0);
    this.pending = new Uint8Array(64); // a block's bytes waiting for the rest of it
    this.filled = 0;
    this.length = 0; // bytes so far
  }

  /** Add `bytes` (a Uint8Array, an ArrayBuffer). */
  update(bytes) {
    bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    this.length += bytes.length;
    let offset = 0;
    if (this.filled) {
      offset = Math.min(64 - this.filled, bytes.length);
      this.pending.set(bytes.subarray(0, offset), this.filled);
      this.filled += offset;
      if (this.filled < 64) return this;
      block(this.state, new DataView(this.pending.buffer), 0);
      this.filled = 0;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (; offset + 64 <= bytes.length; offset += 64) block(this.state, view, offset);
    this.pending.set(bytes.subarray(offset));
    this.filled = bytes.length - offset;
    return this;
  }

  /** The digest as 40 hex digits; the state is spent. */
  hex() {
    // The 0x80 marker, zeros and the length in bits (big-endian): one or two more blocks.
    const tail = new Uint8Array(this.filled < 56 ? 64 : 128);
    tail.set(this.pending.subarray(0, this.filled));
    tail[this.filled] = 0x80;
    new DataView(tail.buffer).setBigUint64(tail.length - 8, BigInt(this.length) * 8n);
    const view = new DataView(tail.buffer);
    for (let offset = 0; offset < tail.length; offset += 64) block(this.state, view, offset);
    return Array.from(this.state, (word) => (word >>> 0).toString(16).padStart(8, "0")).join("");
  }
}

/** How much of a file is read at a time: large enough to cost few reads, small in memory. */
export const CHUNK = 4 * 1024 * 1024;

/**
 * The SHA-1 (hex) of `blob`, read `CHUNK` bytes at a time, in order; rejects if the file
 * cannot be read (it changed or went since it was chosen) or `signal` aborts.
 */
export async function sha1Blob(blob, signal = null) {
  const hash = new Sha1();
  for (let offset = 0; offset < blob.size; offset += CHUNK) {
    signal?.throwIfAborted();
    hash.update(await blob.slice(offset, offset + CHUNK).arrayBuffer());
  }
  return hash.hex();
}
