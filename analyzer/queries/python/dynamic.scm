; Code evaluated at run time, and imports of names that are not literals.
((call function: (_) @callee arguments: (argument_list . (_) @dyn.code)) @call.dyncode
 (#resolves-to? @callee "exec" "eval" "compile" "builtins.exec" "builtins.eval"))
((call function: (_) @callee arguments: (argument_list . (_) @dyn.module)) @call.dynimport
 (#resolves-to? @callee "importlib.import_module" "__import__"))
