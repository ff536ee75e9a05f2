; Calls by name, for the call graph and for resolving parameters from their callers.
(call function: (identifier) @calls.name) @calls.site
(call function: (attribute attribute: (identifier) @calls.method)) @calls.site
