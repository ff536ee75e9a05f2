; Bindings the partial evaluator looks names up in (JavaScript; TypeScript adds its own).
; @decl.name is the bound identifier and @decl.value what it is bound to.

(variable_declarator name: (identifier) @decl.name value: (_)? @decl.value) @decl.var
(variable_declarator name: (object_pattern) @decl.pattern value: (_) @decl.value) @decl.destructure
(variable_declarator name: (array_pattern) @decl.pattern value: (_) @decl.value) @decl.destructure
(assignment_expression left: (identifier) @decl.name right: (_) @decl.value) @decl.assign
(function_declaration name: (identifier) @decl.name) @decl.function
(generator_function_declaration name: (identifier) @decl.name) @decl.function
(class_declaration name: (_) @decl.name) @decl.class

; parameters (the forms inside parentheses differ: javascript-only/ and typescript/)
(arrow_function parameter: (identifier) @decl.param)

; ES modules
(import_statement (import_clause (identifier) @decl.import_default) source: (string) @decl.source)
(import_statement (import_clause (namespace_import (identifier) @decl.import_ns)) source: (string) @decl.source)
(import_statement
  (import_clause (named_imports (import_specifier name: (_) @decl.import_name alias: (identifier)? @decl.import_alias)))
  source: (string) @decl.source)

; CommonJS and ES exports, for values other modules of the server import
(assignment_expression
  left: (member_expression object: (identifier) @_m property: (property_identifier) @_e)
  right: (_) @export.default
  (#eq? @_m "module") (#eq? @_e "exports"))
(assignment_expression
  left: (member_expression
          object: [(identifier) @_x (member_expression object: (identifier) @_m property: (property_identifier) @_x2)]
          property: (property_identifier) @export.name)
  right: (_) @export.value
  (#any-of? @_x "exports" "module") (#not-eq? @export.name "exports"))
(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @export.name value: (_) @export.value)))
(export_statement declaration: (function_declaration name: (identifier) @export.function))
; export class C {}: its static factories' instances (C.load().url in another module)
(export_statement declaration: (class_declaration name: (_) @export.class))
; export { a, b as c } of the module's own bindings (bundlers end every module so)
(export_statement (export_clause (export_specifier name: (_) @export.local alias: (_)? @export.alias)) !source)
(export_statement value: (_) @export.default)
; export default function f() {}: callers in other modules import it under any name
(export_statement "default" declaration: (function_declaration) @export.default)
; re-exports: export { API } from './config.js', export { a as b } from ..., export * from ...
(export_statement (export_clause (export_specifier name: (_) @export.reexport alias: (_)? @export.alias))
  source: (string) @export.source)
(export_statement "*" source: (string) @export.source) @export.all

; Fields: this.x = ... (in constructors and methods) and class fields x = ...
(assignment_expression left: (member_expression object: (this) property: [(property_identifier) (private_property_identifier)] @decl.field) right: (_) @decl.value) @decl.selfassign

; Functions and classes, so "which function is this in" is a lookup
[(function_declaration) (function_expression) (arrow_function) (method_definition)
 (generator_function_declaration) (generator_function)] @scope.function
[(class_declaration) (class)] @scope.class

; Loop variables: for (let i = 0; ...) — the initializer is not the value at a use
; for (const x of list): x is each element in turn (for-in gives keys: not bound)
(for_in_statement left: (identifier) @decl.name "of" right: (_) @decl.iter)
(for_statement initializer: (lexical_declaration (variable_declarator name: (identifier) @loop.variable)))
(for_statement initializer: (variable_declaration (variable_declarator name: (identifier) @loop.variable)))

; Stores into an object: out[k] = process.env[k] copies the environment by iteration; the
; object carries what was stored into it (analyzer/eval.c with_stores)
(assignment_expression left: (subscript_expression object: (identifier) @decl.name) right: (_) @decl.value) @decl.store
(assignment_expression left: (member_expression object: (identifier) @decl.name) right: (_) @decl.value) @decl.store
