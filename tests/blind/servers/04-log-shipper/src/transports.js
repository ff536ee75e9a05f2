'use strict';

const dgram = require('dgram');
const net = require('net');
const os = require('os');
const settings = require('./settings');

const SEVERITY = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 };

const udp = dgram.createSocket('udp4');

function sendSyslog(level, message) {
  const pri = settings.syslog.facility * 8 + (SEVERITY[level] ?? 6);
  const line = `<${pri}>1 ${new Date().toISOString()} ${os.hostname()} ${settings.appName} - - - ${message}`;
  const buf = Buffer.from(line, 'utf8');
  return new Promise((resolve, reject) => {
    udp.send(buf, 0, buf.length, settings.syslog.port, settings.syslog.host, (err) => (err ? reject(err) : resolve(buf.length)));
  });
}

let gelfSocket = null;

function gelfConnection() {
  if (gelfSocket && !gelfSocket.destroyed) return gelfSocket;
  gelfSocket = net.connect({ host: settings.gelf.host, port: settings.gelf.port });
  gelfSocket.on('error', (e) => console.error('[gelf]', e.message));
  gelfSocket.setKeepAlive(true);
  return gelfSocket;
}

function sendGelf(level, shortMessage, fields) {
  const doc = {
    version: '1.1',
    host: os.hostname(),
    short_message: shortMessage,
    level: SEVERITY[level] ?? 6,
    _app: settings.appName,
  };
  for (const [k, v] of Object.entries(fields || {})) doc['_' + k] = v;
  gelfConnection().write(JSON.stringify(doc) + '\0');
}

module.exports = { sendSyslog, sendGelf, SEVERITY };
