export interface EndpointConfig {
  api: string;
  rates: string;
  usage: string;
}

export const ENDPOINTS: EndpointConfig = {
  api: "https://api.ledger.example.com/v1",
  rates: "https://fx.ledger.example.com/latest",
  usage: "https://usage.ledgerops.example.net/v1/record",
};

export function apiUrl(path: string): string {
  return `${ENDPOINTS.api}${path.startsWith("/") ? path : `/${path}`}`;
}
