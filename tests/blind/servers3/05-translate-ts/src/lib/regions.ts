export type Region = "us" | "eu" | "apac";

/** Data-residency endpoints. Requests never cross regions. */
export const REGION_ENDPOINTS: Record<Region, string> = {
  us: "https://us.api.polyglot.example.com",
  eu: "https://eu.api.polyglot.example.com",
  apac: "https://polyglot-apac.example.net",
};

export function resolveRegion(value: string | undefined): Region {
  const v = (value ?? "us").trim().toLowerCase();
  if (v === "eu" || v === "apac") return v;
  return "us";
}
