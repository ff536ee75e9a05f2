; URL-looking string literals, listed at info level when nothing requests them.
((string (string_content) @url.text) (#match? @url.text "^(https?|wss?)://[A-Za-z0-9.-]+"))
