; Code evaluated at run time. @dyn.code is the code string (analysed as code when it resolves).
((call_expression function: (_) @callee arguments: (arguments . (_) @dyn.code)) @call.dyncode
 (#resolves-to? @callee "eval" "vm.runInThisContext" "vm.runInNewContext" "vm.runInContext"
   "vm.compileFunction"))
((new_expression constructor: (_) @callee arguments: (arguments (_) @dyn.code .)) @call.dyncode
 (#resolves-to? @callee "Function" "vm.Script"))
((call_expression function: (_) @callee arguments: (arguments (_) @dyn.code .)) @call.dyncode
 (#resolves-to? @callee "Function"))
; import(x) and require(x) of something that is not a literal
((call_expression function: (import) arguments: (arguments . (_) @dyn.module)) @call.dynimport)
((call_expression function: (identifier) @_r arguments: (arguments . (_) @dyn.module)) @call.dynimport
 (#eq? @_r "require"))
