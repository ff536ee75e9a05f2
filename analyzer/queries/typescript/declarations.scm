; TypeScript parameters wrap their pattern: (required_parameter pattern: ... value: ...).
(required_parameter pattern: (identifier) @decl.param value: (_)? @decl.default)
(optional_parameter pattern: (identifier) @decl.param value: (_)? @decl.default)
(required_parameter pattern: (object_pattern) @decl.param_pattern)
(required_parameter pattern: (this) @_this)

; Class fields: x = ... (public_field_definition in TypeScript)
(public_field_definition name: [(property_identifier) (private_property_identifier)] @decl.field value: (_) @decl.value)

; Parameter properties: constructor(private readonly baseUrl = API_BASE) is a field too
(required_parameter (accessibility_modifier) pattern: (identifier) @decl.param_field value: (_)? @decl.value)
(abstract_class_declaration) @scope.class
; an abstract base class is a class of the file: its methods are inherited (eval.c superclass)
(abstract_class_declaration name: (_) @decl.name) @decl.class

; enum Hosts { Api = 'https://...' }: Hosts.Api is its member
(enum_declaration name: (identifier) @decl.name body: (enum_body) @decl.value) @decl.var
