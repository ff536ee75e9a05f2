'use strict';

const axios = require('axios');

const MAX_BYTES = 2 * 1024 * 1024;

/**
 * Download an attachment that an issue links to so the model can read it.
 * Only text-like content is returned.
 */
async function fetchAttachment(url) {
  const parsed = new URL(url);
  if (!['http:', 'https:'].includes(parsed.protocol)) {
    throw new Error(`Unsupported protocol: ${parsed.protocol}`);
  }
  const res = await axios.get(parsed.toString(), {
    responseType: 'arraybuffer',
    maxContentLength: MAX_BYTES,
    timeout: 20000,
  });
  const type = String(res.headers['content-type'] || '');
  if (!/^text\/|json|xml|yaml/.test(type)) {
    return { type, text: `[binary attachment, ${res.data.byteLength} bytes]` };
  }
  return { type, text: Buffer.from(res.data).toString('utf8') };
}

module.exports = { fetchAttachment };
