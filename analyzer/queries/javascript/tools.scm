; How servers register MCP tools. @tool.name is the tool's name, @tool.handler the
; function that runs for it; @tool.dispatch a handler for every tool (the tool name is
; then read from case/if comparisons inside it).

; Official TypeScript SDK: server.tool(name, [description], [schema], handler),
; server.registerTool(name, config, handler); also FastMCP-style server.addTool({name, execute})
((call_expression
   function: (member_expression property: (property_identifier) @_method)
   arguments: (arguments . [(string) (identifier) (member_expression) (template_string)] @tool.name (_) @tool.handler .))
 (#any-of? @_method "tool" "registerTool"))
((call_expression
   function: (member_expression property: (property_identifier) @_method)
   arguments: (arguments . (object (pair key: (property_identifier) @_k value: (string) @tool.name)) @tool.config))
 (#any-of? @_method "addTool" "registerTool" "tool")
 (#eq? @_k "name"))

; Low-level SDK: server.setRequestHandler(CallToolRequestSchema, handler)
((call_expression
   function: (member_expression property: (property_identifier) @_method)
   arguments: (arguments . (_) @_schema . (_) @tool.dispatch))
 (#eq? @_method "setRequestHandler")
 (#match? @_schema "CallTool"))

; Hand-written JSON-RPC: case "tools/call": ... / if (method === "tools/call") ...
((switch_case value: (string (string_fragment) @_v)) @tool.dispatch_block
 (#eq? @_v "tools/call"))
((if_statement condition: (_) @_cond consequence: (_) @tool.dispatch_block)
 (#match? @_cond "[\"'`]tools/call[\"'`]"))
