import WebSocket from "ws";
import { EventEmitter } from "node:events";
import { STREAM_URL } from "./quotes.js";

export interface Tick {
  s: string;
  p: number;
  v: number;
  t: number;
}

export class TickStream extends EventEmitter {
  private socket?: WebSocket;
  private symbols = new Set<string>();
  private backoff = 1000;

  constructor(private readonly apiKey: string) {
    super();
  }

  start(initial: string[]): void {
    initial.forEach((s) => this.symbols.add(s));
    this.connect();
  }

  private connect(): void {
    const socket = new WebSocket(STREAM_URL, { headers: { "X-QS-Key": this.apiKey } });
    this.socket = socket;
    socket.on("open", () => {
      this.backoff = 1000;
      if (this.symbols.size) socket.send(JSON.stringify({ op: "subscribe", symbols: [...this.symbols] }));
    });
    socket.on("message", (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === "trade") this.emit("tick", msg as Tick);
    });
    socket.on("close", () => setTimeout(() => this.connect(), (this.backoff = Math.min(this.backoff * 2, 30_000))));
    socket.on("error", () => socket.close());
  }

  subscribe(symbol: string): void {
    this.symbols.add(symbol);
    this.socket?.readyState === WebSocket.OPEN && this.socket.send(JSON.stringify({ op: "subscribe", symbols: [symbol] }));
  }

  unsubscribe(symbol: string): void {
    this.symbols.delete(symbol);
    this.socket?.readyState === WebSocket.OPEN && this.socket.send(JSON.stringify({ op: "unsubscribe", symbols: [symbol] }));
  }
}
