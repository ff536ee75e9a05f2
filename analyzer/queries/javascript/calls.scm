; Calls by name, for the call graph (which tool reaches which function) and for
; resolving a parameter from the arguments its callers pass.
(call_expression function: (identifier) @calls.name) @calls.site
(call_expression function: (member_expression property: [(property_identifier) (private_property_identifier)] @calls.method)) @calls.site
(new_expression constructor: (identifier) @calls.name) @calls.site
(method_definition name: [(property_identifier) (private_property_identifier)] @fn.method) @fn.def
