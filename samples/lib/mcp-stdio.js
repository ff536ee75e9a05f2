'use strict';
// mcp-stdio.js: a tiny, dependency-free stand-in for @modelcontextprotocol/sdk
// (McpServer, Server, StdioServerTransport) so the samples speak real MCP over
// stdio with Node built-ins only. Newline-delimited JSON-RPC 2.0.

const readline = require('node:readline');

const PROTOCOL_VERSION = '2025-06-18';

// Request "schemas" of the low-level API: here only the method they name.
const InitializeRequestSchema = { method: 'initialize' };
const ListToolsRequestSchema = { method: 'tools/list' };
const CallToolRequestSchema = { method: 'tools/call' };

class McpError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const ErrorCode = { ParseError: -32700, InvalidRequest: -32600, MethodNotFound: -32601, InvalidParams: -32602, InternalError: -32603 };

class StdioServerTransport {
  constructor(input = process.stdin, output = process.stdout) {
    this.input = input;
    this.output = output;
  }

  start(onMessage, onClose) {
    const rl = readline.createInterface({ input: this.input, terminal: false });
    rl.on('line', (line) => {
      if (line.trim() === '') return;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        this.send({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: 'Parse error' } });
        return;
      }
      onMessage(msg);
    });
    rl.on('close', onClose);
  }

  send(msg) {
    this.output.write(JSON.stringify(msg) + '\n');
  }
}

// Low-level server: one handler per JSON-RPC method.
class Server {
  constructor(serverInfo, options = {}) {
    this.serverInfo = serverInfo;
    this.capabilities = (options && options.capabilities) || { tools: {} };
    this.handlers = new Map();
    this.pending = 0;
    this.closed = false;
  }

  setRequestHandler(schema, handler) {
    this.handlers.set(schema.method, handler);
  }

  async connect(transport) {
    this.transport = transport;
    transport.start((msg) => this.receive(msg), () => {
      this.closed = true;
      this.maybeExit();
    });
  }

  maybeExit() {
    if (this.closed && this.pending === 0) process.exit(0);
  }

  async receive(msg) {
    const isRequest = msg && typeof msg === 'object' && msg.id !== undefined && msg.id !== null;
    if (!msg || msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
      if (isRequest) this.reply(msg.id, null, new McpError(ErrorCode.InvalidRequest, 'Invalid Request'));
      return;
    }
    if (!isRequest) return; // notifications/initialized and friends need no answer
    this.pending++;
    try {
      const result = await this.dispatch(msg);
      this.reply(msg.id, result, null);
    } catch (err) {
      this.reply(msg.id, null, err);
    } finally {
      this.pending--;
      this.maybeExit();
    }
  }

  async dispatch(msg) {
    if (msg.method === 'initialize') {
      return { protocolVersion: PROTOCOL_VERSION, capabilities: this.capabilities, serverInfo: this.serverInfo };
    }
    if (msg.method === 'ping') return {};
    const handler = this.handlers.get(msg.method);
    if (!handler) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${msg.method}`);
    return handler({ method: msg.method, params: msg.params || {} });
  }

  reply(id, result, err) {
    if (!err) {
      this.transport.send({ jsonrpc: '2.0', id, result });
      return;
    }
    const code = typeof err.code === 'number' ? err.code : ErrorCode.InternalError;
    this.transport.send({ jsonrpc: '2.0', id, error: { code, message: String(err.message || err) } });
  }
}

// Accept a full JSON Schema object or a bare {arg: {type: ...}} shape, like the
// SDK accepts a zod shape.
function toInputSchema(schema) {
  if (!schema) return { type: 'object', properties: {} };
  if (schema.type === 'object') return schema;
  return { type: 'object', properties: schema, required: Object.keys(schema) };
}

// High-level server: tools registered by name, as in the official SDK.
class McpServer {
  constructor(serverInfo, options) {
    this.server = new Server(serverInfo, options || { capabilities: { tools: {} } });
    this.tools = new Map();
    this.server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [...this.tools.values()].map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
    }));
    this.server.setRequestHandler(CallToolRequestSchema, (request) => this.callTool(request.params));
  }

  tool(name, description, schema, handler) {
    this.tools.set(name, { name, description, inputSchema: toInputSchema(schema), handler });
  }

  registerTool(name, config, handler) {
    const { description, inputSchema } = config || {};
    this.tools.set(name, { name, description, inputSchema: toInputSchema(inputSchema), handler });
  }

  async callTool(params) {
    const tool = this.tools.get(params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
    try {
      return await tool.handler(params.arguments || {}, { name: params.name });
    } catch (err) {
      return { content: [{ type: 'text', text: `Error: ${err.message || err}` }], isError: true };
    }
  }

  connect(transport) {
    return this.server.connect(transport);
  }
}

module.exports = {
  McpServer,
  Server,
  StdioServerTransport,
  McpError,
  ErrorCode,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  CallToolRequestSchema,
  PROTOCOL_VERSION,
};
