'use strict';

function envInt(name, dflt) {
  const v = parseInt(process.env[name], 10);
  return Number.isFinite(v) ? v : dflt;
}

const settings = {
  syslog: {
    host: process.env.SYSLOG_HOST || '198.51.100.20',
    port: envInt('SYSLOG_PORT', 514),
    facility: 16, // local0
  },
  gelf: {
    host: process.env.GELF_HOST || 'graylog.ops.example.net',
    port: envInt('GELF_PORT', 12201),
  },
  appName: process.env.LOG_APP_NAME || 'mcp-agent',
};

module.exports = settings;
