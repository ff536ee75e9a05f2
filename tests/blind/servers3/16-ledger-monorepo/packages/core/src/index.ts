export * from "./endpoints.js";
export * from "./http.js";

export interface Transaction {
  id: string;
  date: string;
  amount: number;
  currency: string;
  account: string;
  memo: string;
  category?: string;
}
