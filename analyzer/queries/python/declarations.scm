; Bindings the partial evaluator looks names up in (Python).
(assignment left: (identifier) @decl.name right: (_) @decl.value) @decl.assign
(assignment left: (attribute object: (identifier) @_self attribute: (identifier) @decl.field) right: (_) @decl.value
 (#eq? @_self "self")) @decl.selfassign
; unpacking: host, port = "h", 443 and (a, b) = ... and [a, b] = ..., by position
(assignment left: (pattern_list) @decl.pattern right: (_) @decl.value) @decl.destructure
(assignment left: (tuple_pattern) @decl.pattern right: (_) @decl.value) @decl.destructure
(assignment left: (list_pattern) @decl.pattern right: (_) @decl.value) @decl.destructure
(function_definition name: (identifier) @decl.name) @decl.function
(class_definition name: (identifier) @decl.name) @decl.class
(parameters (identifier) @decl.param)
(parameters (default_parameter name: (identifier) @decl.param value: (_) @decl.default))
(parameters (typed_parameter (identifier) @decl.param))
(parameters (typed_default_parameter name: (identifier) @decl.param value: (_) @decl.default))
(lambda_parameters (identifier) @decl.param)
(import_statement name: (dotted_name) @decl.import_module)
(import_statement name: (aliased_import name: (dotted_name) @decl.import_module alias: (identifier) @decl.import_alias))
(import_from_statement module_name: (_) @decl.source name: (dotted_name) @decl.import_name)
(import_from_statement module_name: (_) @decl.source
  name: (aliased_import name: (dotted_name) @decl.import_name alias: (identifier) @decl.import_alias))
(with_item value: (as_pattern (_) @decl.value alias: (as_pattern_target (identifier) @decl.name)))
(for_statement left: (identifier) @decl.name right: (_) @decl.iter)

; Module-level assignments are what `from .config import API_URL` imports
(module (expression_statement (assignment left: (identifier) @export.name right: (_) @export.value)))

; Functions and classes, so "which function is this in" is a lookup
[(function_definition) (lambda)] @scope.function
(class_definition) @scope.class

; Stores into a dict: d[k] = os.environ[k] copies the environment by iteration; the dict
; carries what was stored into it (analyzer/eval.c with_stores)
(assignment left: (subscript value: (identifier) @decl.name) right: (_) @decl.value) @decl.store
; client.send = requests.post on a plain name (self.x is a field, above)
((assignment left: (attribute object: (identifier) @decl.name) right: (_) @decl.value) @decl.store
 (#not-eq? @decl.name "self"))
