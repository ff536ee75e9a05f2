// mcp-stdio.d.ts: types for mcp-stdio.js, shaped like @modelcontextprotocol/sdk's.

export interface TextContent { type: 'text'; text: string }
export interface CallToolResult { content: TextContent[]; isError?: boolean }
export type ToolHandler = (args: any, extra?: { name: string }) => CallToolResult | Promise<CallToolResult>;
export interface ToolConfig { title?: string; description?: string; inputSchema?: Record<string, unknown> }
export interface RequestSchema { method: string }

export declare const PROTOCOL_VERSION: string;
export declare const InitializeRequestSchema: RequestSchema;
export declare const ListToolsRequestSchema: RequestSchema;
export declare const CallToolRequestSchema: RequestSchema;
export declare const ErrorCode: Record<string, number>;

export declare class McpError extends Error {
  constructor(code: number, message: string);
  code: number;
}

export declare class StdioServerTransport {
  constructor(input?: unknown, output?: unknown);
}

export declare class Server {
  constructor(serverInfo: { name: string; version: string }, options?: { capabilities?: Record<string, unknown> });
  setRequestHandler(schema: RequestSchema, handler: (request: { method: string; params: any }) => unknown): void;
  connect(transport: StdioServerTransport): Promise<void>;
}

export declare class McpServer {
  constructor(serverInfo: { name: string; version: string }, options?: { capabilities?: Record<string, unknown> });
  readonly server: Server;
  tool(name: string, description: string, schema: Record<string, unknown>, handler: ToolHandler): void;
  registerTool(name: string, config: ToolConfig, handler: ToolHandler): void;
  connect(transport: StdioServerTransport): Promise<void>;
}
