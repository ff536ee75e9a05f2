import axios, { type AxiosInstance } from "axios";
import { API_PREFIX, DEFAULT_BASE } from "./constants.js";

export function createFlightsHttp(): AxiosInstance {
  const base = (process.env.SKYDESK_BASE_URL || DEFAULT_BASE).replace(/\/+$/, "");
  const instance = axios.create({
    baseURL: base + API_PREFIX,
    timeout: 8000,
    headers: { Authorization: `Bearer ${process.env.SKYDESK_API_KEY ?? ""}` },
  });
  instance.interceptors.response.use(undefined, (err) => {
    const status = err.response?.status;
    return Promise.reject(new Error(`SkyDesk API error${status ? ` (${status})` : ""}: ${err.message}`));
  });
  return instance;
}
