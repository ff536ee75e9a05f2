import anthropic

MODEL = "claude-3-5-haiku-latest"
_client = anthropic.AsyncAnthropic()  # reads ANTHROPIC_API_KEY


async def summarize(text: str, style: str, max_words: int) -> str:
    msg = await _client.messages.create(
        model=MODEL,
        max_tokens=1024,
        system=f"You write {style} summaries of at most {max_words} words.",
        messages=[{"role": "user", "content": text}],
    )
    return "".join(block.text for block in msg.content if block.type == "text")
