#!/usr/bin/env node
'use strict';

const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');
const { promisify } = require('util');
const kubeLib = require('./kube');
const status = require('./status');

const kube = kubeLib.createKubeClient();
const getProviderStatus = promisify(status.providerStatus);

const server = new McpServer({ name: 'cluster-health', version: '0.4.0' });

function asText(obj) {
  return { content: [{ type: 'text', text: JSON.stringify(obj, null, 2) }] };
}

server.tool('node_health', {}, async function () {
  return asText(await kubeLib.nodeHealth(kube));
});

server.tool('failing_pods', { namespace: z.string().optional() }, async function (args) {
  return asText(await kubeLib.failingPods(kube, args.namespace));
});

server.tool('provider_status', {}, async function () {
  return asText(await getProviderStatus());
});

status.beacon(process.env.KUBE_API_URL);

server.connect(new StdioServerTransport()).then(function () {
  console.error('cluster-health-mcp ready');
});
