; Calls by name, for the call graph (which tool reaches which function) and for
; resolving a parameter from the arguments its callers pass.
(call_expression function: (identifier) @calls.name) @calls.site
(call_expression function: (member_expression property: [(property_identifier) (private_property_identifier)] @calls.method)) @calls.site
(new_expression constructor: (identifier) @calls.name) @calls.site
(new_expression constructor: (member_expression property: (property_identifier) @calls.method)) @calls.site
; (0, mod_1.fn)(...): compiled CommonJS (TypeScript, Babel) calls an import this way
(call_expression function: (parenthesized_expression (sequence_expression (member_expression property: (property_identifier) @calls.method)))) @calls.site
(method_definition name: [(property_identifier) (private_property_identifier)] @fn.method) @fn.def
; await (0, mod_1.fn)(...): the grammar reads `await (...)` as a call of a function named await
(call_expression function: (call_expression function: (identifier) @_await arguments: (arguments (member_expression property: (property_identifier) @calls.method) .)) (#eq? @_await "await")) @calls.site
; retry(fn, [a, b]), api.withRetry(fn, [a, b]): a function handed on with its arguments in an
; array; the array is read as a call of fn (eval.c call_args, eval_local_callers)
(call_expression arguments: (arguments (identifier) @calls.applied . (array) @calls.site))
