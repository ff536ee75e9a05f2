'use strict';
// Text helpers: a char-code table for escaping, and base64 quote ids.

const HEX_DIGITS = Array.from({ length: 16 }, (_, i) => String.fromCharCode(i < 10 ? 48 + i : 87 + i));
const CONTROL = new Set([9, 10, 13].map((c) => String.fromCharCode(c)));
const EM_DASH = String.fromCharCode(0x2014);

function escapeControl(s) {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += code < 32 && !CONTROL.has(ch) ? `\\x${HEX_DIGITS[code >> 4]}${HEX_DIGITS[code & 15]}` : ch;
  }
  return out;
}

function decodeQuoteId(id) {
  return atob(id.replace(/-/g, '+').replace(/_/g, '/')).split(':');
}

function encodeQuoteId(source, n) {
  return Buffer.from(`${source}:${n}`).toString('base64url');
}

function attribution(quote) {
  return `${escapeControl(quote.text)} ${EM_DASH} ${quote.author}`;
}

module.exports = { escapeControl, decodeQuoteId, encodeQuoteId, attribution };
