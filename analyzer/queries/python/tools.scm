; How Python servers register MCP tools.
; FastMCP / the official SDK: @mcp.tool() or @mcp.tool(name="x") above a function
(decorated_definition
  (decorator [(call function: (attribute attribute: (identifier) @_d)) (attribute attribute: (identifier) @_d)]) @tool.decorator
  definition: (function_definition name: (identifier) @tool.fname) @tool.handler
  (#any-of? @_d "tool" "add_tool"))
; low-level server: @server.call_tool() handles every tool
(decorated_definition
  (decorator [(call function: (attribute attribute: (identifier) @_d)) (attribute attribute: (identifier) @_d)])
  definition: (function_definition) @tool.dispatch
  (#eq? @_d "call_tool"))
; mcp.add_tool(fn, name="x") / server.tool("x")(fn)
((call function: (attribute attribute: (identifier) @_m) arguments: (argument_list . (identifier) @tool.handler_ref))
 (#eq? @_m "add_tool"))
; hand-written JSON-RPC: if method == "tools/call": ...
((if_statement condition: (_) @_cond consequence: (block) @tool.dispatch_block)
 (#match? @_cond "[\"']tools/call[\"']"))
((elif_clause condition: (_) @_cond consequence: (block) @tool.dispatch_block)
 (#match? @_cond "[\"']tools/call[\"']"))
((case_clause (case_pattern (string (string_content) @_v)) consequence: (block) @tool.dispatch_block)
 (#eq? @_v "tools/call"))
