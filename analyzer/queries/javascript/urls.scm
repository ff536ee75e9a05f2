; URL-looking string literals, listed at info level when nothing requests them.
((string (string_fragment) @url.text) (#match? @url.text "^(https?|wss?)://[A-Za-z0-9.-]+"))
((template_string (string_fragment) @url.text) (#match? @url.text "^(https?|wss?)://[A-Za-z0-9.-]+"))
