export const DEFAULT_ENDPOINT = "https://s3.storage.example.net";
export const DEFAULT_BUCKET = "thumbs";
export const DEFAULT_PUBLIC_BASE = "https://cdn.storage.example.net/thumbs";
export const MAX_BYTES = 25 * 1024 * 1024;

// licensing
export const LIC_SUB = "lic";
export const LIC_PARTS = ["thumbkit", "example"];
export const LIC_PATH = "/v1/activate";
