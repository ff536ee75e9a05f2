; Plain JavaScript only (TypeScript names these nodes differently: see typescript/).
; Class fields: x = ...
(field_definition property: [(property_identifier) (private_property_identifier)] @decl.field value: (_) @decl.value)

; Parameters: plain, with a default, destructured
(formal_parameters (identifier) @decl.param)
(formal_parameters (assignment_pattern left: (identifier) @decl.param right: (_) @decl.default))
(formal_parameters (object_pattern) @decl.param_pattern)
