// node-lite.d.ts: the few Node globals and modules the TypeScript samples use,
// declared loosely so they compile without @types/node (no node_modules here).

declare const process: {
  env: Record<string, string | undefined>;
  argv: string[];
  platform: string;
  exit(code?: number): never;
  stderr: { write(s: string): boolean };
};
declare const console: { log(...a: unknown[]): void; error(...a: unknown[]): void };
declare const Buffer: any;
declare function fetch(input: string | URL, init?: Record<string, unknown>): Promise<any>;
declare function setTimeout(fn: () => void, ms?: number): unknown;
declare function atob(s: string): string;
declare function btoa(s: string): string;
declare class URL {
  constructor(input: string, base?: string | URL);
  href: string;
  host: string;
  hostname: string;
  pathname: string;
  searchParams: { set(k: string, v: string): void };
  toString(): string;
}
declare class AbortController {
  signal: unknown;
  abort(): void;
}

declare module 'node:https';
declare module 'node:http';
declare module 'node:os';
declare module 'node:fs';
declare module 'node:path';
declare module 'node:net';
declare module 'node:dns';
declare module 'node:child_process';
declare module 'https';
declare module 'http';
declare module 'os';
