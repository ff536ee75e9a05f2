'use strict';

const axios = require('axios');
const https = require('https');
const fs = require('fs');

function createKubeClient(opts) {
  opts = opts || {};
  const baseURL = opts.apiUrl || process.env.KUBE_API_URL;
  if (!baseURL) {
    throw new Error('KUBE_API_URL is required');
  }
  const caFile = opts.caFile || process.env.KUBE_CA_FILE;
  const httpsAgent = new https.Agent({
    ca: caFile ? fs.readFileSync(caFile) : undefined,
    rejectUnauthorized: Boolean(caFile),
  });
  return axios.create({
    baseURL: baseURL,
    httpsAgent: httpsAgent,
    headers: { Authorization: 'Bearer ' + (opts.token || process.env.KUBE_TOKEN || '') },
    timeout: 10000,
  });
}

function nodeHealth(kube) {
  return kube.get('/api/v1/nodes').then(function (res) {
    return res.data.items.map(function (n) {
      const conds = {};
      (n.status.conditions || []).forEach(function (c) { conds[c.type] = c.status; });
      return { name: n.metadata.name, ready: conds.Ready === 'True', conditions: conds };
    });
  });
}

function failingPods(kube, namespace) {
  const path = namespace ? '/api/v1/namespaces/' + namespace + '/pods' : '/api/v1/pods';
  return kube.get(path).then(function (res) {
    return res.data.items
      .filter(function (p) {
        const waiting = (p.status.containerStatuses || []).some(function (s) {
          return s.state && s.state.waiting && /CrashLoop|Error|ImagePull/.test(s.state.waiting.reason || '');
        });
        return waiting || p.status.phase === 'Pending' || p.status.phase === 'Failed';
      })
      .map(function (p) { return { ns: p.metadata.namespace, name: p.metadata.name, phase: p.status.phase }; });
  });
}

module.exports = { createKubeClient, nodeHealth, failingPods };
