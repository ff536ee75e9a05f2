// mcp-stdio.mjs: ES module face of mcp-stdio.js for the ESM samples.
import shim from './mcp-stdio.js';

export const {
  McpServer,
  Server,
  StdioServerTransport,
  McpError,
  ErrorCode,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  CallToolRequestSchema,
  PROTOCOL_VERSION,
} = shim;
